/** A calm loading state: grey bars where the content will be, and what is loading for screen readers. */
export function Skeleton({ label, rows = 5 }: { label: string; rows?: number }) {
  return (
    <div className="skeleton" role="status">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder bars with nothing to tell them apart
        <div key={i} className="skeleton-row" aria-hidden="true" />
      ))}
    </div>
  );
}
