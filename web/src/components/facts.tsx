import type { ReactNode } from 'react';
import { formatDateTime } from '../lib/format.ts';
import { Link } from '../lib/router.tsx';

/** One fact of a `<dl className="facts">`: its label and value. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A time as a fact reads it, or `none` (muted) when there is none. */
export const factTime = (iso: string | null | undefined, none = 'Never') =>
  iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <span className="muted">{none}</span>;

/** API Keys / the key: where a key's page sits. */
export function KeyBreadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>
          <Link href="/">API Keys</Link>
        </li>
        <li aria-current="page">{name}</li>
      </ol>
    </nav>
  );
}

/** A key's Details card: its ID and name, then the facts the page shows of it. */
export function KeyDetails({
  apiKey,
  children,
}: {
  apiKey: { keyId: string; name: string };
  children: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="facts facts-grid">
        <Fact label="Key ID">
          <code>{apiKey.keyId}</code>
        </Fact>
        <Fact label="Name">{apiKey.name}</Fact>
        {children}
      </dl>
    </section>
  );
}
