/**
 * Where a protected API's workspace comes from: fixed for the whole API, a request header, or a
 * path parameter. `undefined` means the API does not check workspaces.
 */
export type WorkspaceSource =
  | { readonly kind: 'fixed'; readonly value: string }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'path'; readonly name: string };

export function parseWorkspaceSource(raw: string | undefined): WorkspaceSource | undefined {
  if (!raw) return undefined;
  const match = /^(fixed|header|path):(.+)$/.exec(raw.trim());
  if (!match)
    throw new Error(
      `configuration: LATCHKEY_WORKSPACE_SOURCE must be fixed:<id>, header:<name> or path:<name>, got "${raw}"`,
    );
  const kind = match[1] as WorkspaceSource['kind'];
  const value = match[2] as string;
  return kind === 'fixed' ? { kind, value } : { kind, name: kind === 'header' ? value.toLowerCase() : value };
}
