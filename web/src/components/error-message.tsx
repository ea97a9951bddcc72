import { ApiError } from '../api/client.ts';

/** An API error shown where it happened: its message, and every bad field the API named. */
export function ErrorMessage({ error, prefix }: { error: unknown; prefix?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="error" role="alert">
      <p>
        {prefix ? `${prefix}: ` : ''}
        {message}
        {error instanceof ApiError && error.status > 0 ? (
          <span className="error-code"> ({error.code})</span>
        ) : null}
      </p>
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={`${d.field}:${d.message}`}>
              <code>{d.field}</code> {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
