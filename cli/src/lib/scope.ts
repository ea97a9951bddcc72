import type { KeyScope } from '@latchkey/client/types';
import { UsageError } from './errors.ts';

/** `--workspace W`, or `--organization O --workspaces a,b|*`: a scope, or undefined when neither is given. */
export function scopeFlags(flags: {
  workspace?: string;
  organization?: string;
  workspaces?: string[];
}): KeyScope | undefined {
  if (flags.organization === undefined) {
    if (flags.workspaces) throw new UsageError('--workspaces needs --organization');
    return flags.workspace === undefined ? undefined : { workspaceId: flags.workspace };
  }
  const ids = flags.workspaces;
  if (!ids || ids.length === 0)
    throw new UsageError('--organization needs --workspaces (IDs, comma-separated, or *)');
  return { organizationId: flags.organization, workspaceIds: ids.length === 1 && ids[0] === '*' ? '*' : ids };
}
