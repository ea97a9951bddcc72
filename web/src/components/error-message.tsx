import { ApiError } from '../lib/api-error.ts';

/**
 * An API error shown where it happened: its message, every bad field the API named, the request's
 * ID (to quote in a report), and a way out: Retry, when the caller can try again.
 */
export function ErrorMessage({
  error,
  prefix,
  onRetry,
  retrying = false,
}: {
  error: unknown;
  prefix?: string;
  onRetry?: () => void;
  retrying?: boolean;
}) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const api = error instanceof ApiError ? error : undefined;
  const details = api?.details ?? [];
  return (
    <div className="error" role="alert">
      <p>
        {prefix ? `${prefix}: ` : ''}
        {message}
        {api && api.status > 0 ? <span className="error-code"> ({api.code})</span> : null}
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
      {api?.requestId && (
        <p className="error-request small">
          Request ID: <code>{api.requestId}</code>
        </p>
      )}
      {onRetry && (
        <button type="button" className="button button-small" disabled={retrying} onClick={onRetry}>
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
      )}
    </div>
  );
}
