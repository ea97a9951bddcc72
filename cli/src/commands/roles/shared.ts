import type { Role } from '@latchkey/client/types';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../lib/errors.ts';
import type { Subject } from '../../lib/http.ts';
import { fields, list, type Style, time } from '../../lib/output.ts';

/** A request about one role: the API having no such role reads "no role NAME". */
export const roleSubject = (name: string): Subject => ({ name: `role ${name}`, field: 'path.name' });

/** The name of an existing role: any name is looked up (one that cannot exist is not there). */
export function roleRefArg(value: string): string {
  if (!value.trim()) throw new UsageError('the role name is empty');
  return value;
}

/** The name of a new role, held to the API's rule before the request. */
export function roleNameArg(value: string): string {
  if (!/^[a-z0-9][a-z0-9_:-]{0,63}$/.test(value)) {
    throw new InvalidArgumentError(
      'a role name is lower-case letters, digits, _ : - (e.g. customer-service)',
    );
  }
  return value;
}

export function roleFields(style: Style, role: Role): string {
  const pairs: [string, string][] = [
    ['Name', role.name],
    ['Description', role.description || '-'],
    ['Permissions', list(role.permissions)],
    ['Built in', role.builtin ? 'yes' : 'no'],
  ];
  if (role.keyCount !== undefined) pairs.push(['Keys using it', String(role.keyCount)]);
  if (role.createdAt) pairs.push(['Created', time(style, role.createdAt)]);
  if (role.updatedAt) pairs.push(['Updated', time(style, role.updatedAt)]);
  if (role.version !== undefined) pairs.push(['Version', String(role.version)]);
  return fields(style, pairs);
}
