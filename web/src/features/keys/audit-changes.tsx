import type { AuditEntry, KeyScope } from '@latchkey/client/types';
import { formatScope } from '../../components/key-labels.ts';
import { formatDateTime } from '../../lib/format.ts';

const ACTIONS: Record<string, string> = {
  'key.created': 'Created',
  'key.updated': 'Updated',
  'key.enabled': 'Enabled',
  'key.disabled': 'Disabled',
  'key.revoked': 'Revoked',
  'key.deleted': 'Deleted',
  'key.rotated': 'Rotated',
  'key.rotation_due': 'Flagged for rotation',
  'key.rotation_reminder': 'Rotation reminder',
  'key.expiring': 'Expiring',
  'key.unused': 'Unused',
  'key.expired': 'Expired',
  'key.imported': 'Imported',
  'key.quota_threshold': 'Quota threshold announced',
  'key.unusual_activity': 'Unusual activity',
  'key.usage_key_attached': 'Usage plan key attached',
  'key.usage_key_removed': 'Usage plan key removed',
};

export const actionLabel = (action: string) => ACTIONS[action] ?? words(action.replace(/^key\./, ''));

/** The fields of a key as the page names them. */
const FIELDS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  owner: 'Owner',
  type: 'Type',
  scope: 'Scope',
  roles: 'Roles',
  permissions: 'Permissions',
  environment: 'Environment',
  rotationDays: 'Rotation period (days)',
  ipAllowlist: 'IP allowlist',
  metadata: 'Metadata',
  plan: 'Plan',
  expiresAt: 'Expires',
  status: 'Status',
  revokedAt: 'Revoked',
  rotatedFrom: 'Replaces',
  rotatedTo: 'Replaced by',
  newKeyId: 'New key',
  usageIdentifierKey: 'Usage identifier key',
  lastUsedAt: 'Last used',
};

/** `rotationReminderAt` → "Rotation reminder at": a field the page has no name for, still in words. */
function words(name: string): string {
  const spaced = name
    .replace(/[_.]/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A field's value in words: lists joined, times as dates, no JSON. */
function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return field === 'expiresAt' ? 'never' : 'none';
  if (Array.isArray(value)) return value.length ? value.map(String).join(', ') : 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return ISO_TIME.test(value) ? formatDateTime(value) : value;
  if (typeof value === 'object') {
    if (field === 'scope') return formatScope(value as KeyScope);
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? entries.map(([k, v]) => `${k}=${valueText(k, v)}`).join(', ') : 'none';
  }
  return String(value);
}

/** Fields every created key has; the created entry lists only what the creator chose. */
const BOOKKEEPING = new Set([
  'keyId',
  'createdAt',
  'createdBy',
  'updatedAt',
  'rotationDueAt',
  'rotationDue',
  'status',
  'version',
  'lastUsedAt',
]);

/** An audit entry's changes as sentences: "Roles: read, write → read". */
export function AuditChanges({ entry }: { entry: AuditEntry }) {
  const created = entry.action === 'key.created' || entry.action === 'key.imported';
  const changes = Object.entries(entry.changes ?? {}).filter(
    ([field]) => !created || !BOOKKEEPING.has(field),
  );
  if (changes.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain">
      {changes.map(([field, c]) => (
        <li key={field}>
          {FIELDS[field] ?? words(field)}:{' '}
          {created
            ? valueText(field, c.after)
            : `${valueText(field, c.before)} → ${valueText(field, c.after)}`}
        </li>
      ))}
    </ul>
  );
}
