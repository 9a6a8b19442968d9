/** The audits behind the selected bar or day, each with a way back to the item in the labeling tool. */
import type { Audit, Taxonomy } from '../../lib/schemas';
import { formatTime, plural, SEVERITY_LABELS, tagLabel, VERDICT_LABELS } from './format';

interface AuditListProps {
  title: string;
  audits: readonly Audit[];
  taxonomy: Pick<Taxonomy, 'tags'>;
  timeZone: string;
  onClear: () => void;
}

/** A page of hundreds of rows is already more than anyone reads; the export has them all. */
const SHOWN = 200;

export function AuditList({ title, audits, taxonomy, timeZone, onClear }: AuditListProps) {
  const shown = audits.slice(0, SHOWN);
  return (
    <section className="section" aria-labelledby="audit-list-title">
      <div className="section__head">
        <h2 id="audit-list-title">
          {title}: {plural(audits.length, 'audit', 'audits')}
        </h2>
        <button type="button" className="button" onClick={onClear}>
          Clear selection
        </button>
      </div>
      {audits.length > SHOWN ? (
        <p className="empty">
          Showing the latest {SHOWN}. Export the audits to see all {audits.length.toLocaleString('en')}.
        </p>
      ) : null}
      {audits.length === 0 ? (
        <p className="empty">No audits behind this selection with the current filters.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Audits for {title}</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Item</th>
                <th scope="col">Labeler</th>
                <th scope="col">Verdict</th>
                <th scope="col">Error tags</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((audit) => (
                <tr key={audit.id}>
                  <td>
                    <time dateTime={new Date(audit.createdAt).toISOString()}>{formatTime(audit.createdAt, timeZone)}</time>
                  </td>
                  <td>
                    <a href={audit.itemUrl} target="_blank" rel="noopener noreferrer">
                      {audit.itemId}
                      <span className="visually-hidden"> (opens in a new tab)</span>
                    </a>
                  </td>
                  <td>{audit.labelerId ?? '–'}</td>
                  <td className={`verdict verdict--${audit.verdict}`}>
                    {VERDICT_LABELS[audit.verdict]}
                    {audit.severity ? `, ${SEVERITY_LABELS[audit.severity].toLowerCase()}` : ''}
                  </td>
                  <td>{audit.errorTags.map((tagId) => tagLabel(taxonomy, tagId)).join(', ') || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
