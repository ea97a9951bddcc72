import type { ComplianceReport, ComplianceSection } from '@latchkey/client/types';
import { useQuery } from '@tanstack/react-query';
import { type MouseEvent, useState } from 'react';
import { useApi } from '../../api/client.ts';
import { COMPLIANCE_PATH, complianceCsv, complianceQuery } from '../../api/compliance.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { ScrollRegion } from '../../components/scroll-region.tsx';
import { saveText } from '../../lib/download.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';

/** A key of one section, with the day counts that section adds. */
type EntryOf<S extends ComplianceSection> = ComplianceReport[S][number];

interface SectionDef<S extends ComplianceSection = ComplianceSection> {
  readonly section: S;
  readonly title: (r: ComplianceReport) => string;
  readonly empty: string;
  /** The column that says why a key is here. */
  readonly column: string;
  cell(e: EntryOf<S>): string;
  /** What the section leaves out, and why. */
  readonly note?: (r: ComplianceReport) => string | undefined;
}

const days = (n: number | undefined) => (n === 1 ? '1 day' : `${n ?? 0} days`);
/** Under two days, the hours: a one-hour grace is not "1 day". */
const timeLeft = (e: EntryOf<'expiringSoon'>) =>
  e.hoursLeft < 48 ? `${e.hoursLeft} ${e.hoursLeft === 1 ? 'hour' : 'hours'}` : days(e.daysLeft);

/** A section's definition, its cell typed by that section's entries. */
const section = <S extends ComplianceSection>(def: SectionDef<S>): SectionDef<S> => def;

const SECTION_DEFS: readonly SectionDef[] = [
  section({
    section: 'rotationOverdue',
    title: () => 'Past their rotation date',
    empty: 'No key is past its rotation date.',
    column: 'Overdue',
    cell: (e) => days(e.daysOverdue),
  }),
  section({
    section: 'neverUsed',
    title: () => 'Never used',
    empty: 'Every key has been used.',
    column: 'Age',
    cell: (e) => days(e.ageDays),
    note: (r) =>
      r.newSuccessors > 0
        ? `Not counted: ${r.newSuccessors} ${r.newSuccessors === 1 ? 'key' : 'keys'} made by a rotation in the last week, new and not used yet while their callers move over.`
        : undefined,
  }),
  section({
    section: 'unused',
    title: (r) => `Unused for ${r.unusedDays} days or more`,
    empty: 'No key has gone unused that long.',
    column: 'Unused for',
    cell: (e) => days(e.daysUnused),
  }),
  section({
    section: 'noExpiry',
    title: () => 'No expiry',
    empty: 'Every key has an expiry.',
    column: 'Created',
    cell: (e) => formatDate(e.createdAt),
  }),
  section({
    section: 'expiringSoon',
    title: (r) => `Expiring within ${r.expiringWithinDays} days`,
    empty: 'No key expires that soon.',
    column: 'Time left',
    cell: timeLeft,
  }),
  section({
    section: 'retiringPepper',
    title: () => 'On a retiring pepper version',
    empty: 'Every key is hashed under the current pepper.',
    column: 'Pepper version',
    cell: (e) => e.pepperVersion,
  }),
];

const COUNT_COLUMNS: readonly [ComplianceSection, string][] = [
  ['rotationOverdue', 'Past rotation'],
  ['neverUsed', 'Never used'],
  ['unused', 'Unused'],
  ['noExpiry', 'No expiry'],
  ['expiringSoon', 'Expiring'],
  ['retiringPepper', 'Retiring pepper'],
];

/** The compliance report: a table per finding, keys per pepper version and totals per owner. */
export function CompliancePage() {
  const report = useQuery(complianceQuery(useApi()));
  const r = report.data;
  return (
    <>
      <div className="page-header">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            Compliance
          </h1>
          <p className="muted">
            Every live key (not revoked, not expired), checked against rotation, use, expiry and the pepper.
            {r && ` As of ${formatDateTime(r.generatedAt)}: ${r.totals.liveKeys} live keys.`}
          </p>
        </div>
        <CsvLink />
      </div>
      <QueryState
        query={report}
        prefix="The compliance report could not be built"
        loading="Building the compliance report…"
        rows={6}
      />
      {r && (
        <>
          {SECTION_DEFS.map((def) => (
            <FindingTable key={def.section} def={def} report={r} />
          ))}
          <PepperTable report={r} />
          <OwnerTable report={r} />
        </>
      )}
    </>
  );
}

/** "Download CSV": the same report as CSV, fetched with the token and saved as a file. */
function CsvLink() {
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  const download = async (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    setError(null);
    try {
      saveText(await complianceCsv(api), `latchkey-compliance-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <div>
      <a
        className="button"
        href={`${api.base}${COMPLIANCE_PATH}?format=csv`}
        onClick={(e) => void download(e)}
      >
        Download CSV
      </a>
      <ErrorMessage error={error} prefix="The CSV could not be downloaded" />
    </div>
  );
}

function FindingTable({ def, report }: { def: SectionDef; report: ComplianceReport }) {
  const title = def.title(report);
  const entries = report[def.section];
  const headingId = `section-${def.section}`;
  return (
    <section aria-labelledby={headingId} className="report-section">
      <h2 id={headingId}>
        {title} ({entries.length})
      </h2>
      {def.note?.(report) && <p className="muted small">{def.note(report)}</p>}
      {entries.length === 0 ? (
        <p className="muted">{def.empty}</p>
      ) : (
        <ScrollRegion label={`${title}, scrollable`}>
          <table className="table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key ID</th>
                <th scope="col">Owner</th>
                <th scope="col">Status</th>
                <th scope="col">Last used</th>
                <th scope="col">{def.column}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.keyId}>
                  <th scope="row">
                    <Link href={`/keys/${encodeURIComponent(e.keyId)}`}>{e.name}</Link>
                  </th>
                  <td>
                    <code>{e.keyId}</code>
                  </td>
                  <td>{e.owner}</td>
                  <td>{e.status}</td>
                  <td className="nowrap">{e.lastUsedAt ? formatDate(e.lastUsedAt) : 'Never'}</td>
                  <td className="nowrap">{def.cell(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

function PepperTable({ report }: { report: ComplianceReport }) {
  return (
    <section aria-labelledby="section-peppers" className="report-section">
      <h2 id="section-peppers">Keys per pepper version</h2>
      <ScrollRegion label="Keys per pepper version, scrollable">
        <table className="table">
          <caption className="visually-hidden">Keys per pepper version</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Live keys</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {report.pepperVersions.map((v) => (
              <tr key={v.version}>
                <th scope="row">{v.version}</th>
                <td>{v.keys}</td>
                <td>{v.current ? 'Current' : 'Retiring'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function OwnerTable({ report }: { report: ComplianceReport }) {
  return (
    <section aria-labelledby="section-owners" className="report-section">
      <h2 id="section-owners">Totals per owner</h2>
      <ScrollRegion label="Totals per owner, scrollable">
        <table className="table">
          <caption className="visually-hidden">Totals per owner</caption>
          <thead>
            <tr>
              <th scope="col">Owner</th>
              <th scope="col">Live keys</th>
              {COUNT_COLUMNS.map(([section, header]) => (
                <th key={section} scope="col">
                  {header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.owners.map((o) => (
              <tr key={o.owner}>
                <th scope="row">{o.owner}</th>
                <td>{o.liveKeys}</td>
                {COUNT_COLUMNS.map(([section]) => (
                  <td key={section}>{o[section]}</td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All owners</th>
              <td>{report.totals.liveKeys}</td>
              {COUNT_COLUMNS.map(([section]) => (
                <td key={section}>{report.totals[section]}</td>
              ))}
            </tr>
          </tfoot>
        </table>
      </ScrollRegion>
    </section>
  );
}
