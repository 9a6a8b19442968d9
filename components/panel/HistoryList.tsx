/** Earlier verdicts on the item on screen (from the worker, newest first), so a re-audit knows what was said. */
import type { Audit, ErrorTag } from '@/lib/schemas';
import { VERDICT_LABELS, SEVERITY_LABELS } from './labels';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function HistoryList({ history, tags }: { history: readonly Audit[]; tags: readonly ErrorTag[] }) {
  const labelOf = (tagId: string) => tags.find((t) => t.id === tagId)?.label ?? tagId;
  return (
    <section className="loupe-history" aria-labelledby="loupe-history-heading">
      <h2 id="loupe-history-heading">Earlier verdicts on this item</h2>
      {history.length === 0 ? (
        <p className="loupe-quiet">No earlier verdicts on this item.</p>
      ) : (
        <ol>
          {history.map((audit) => (
            <li key={`${audit.id}:${audit.rev}`}>
              <div className="loupe-history-head">
                <span className={`loupe-badge loupe-badge-${audit.verdict}`}>{VERDICT_LABELS[audit.verdict]}</span>
                {audit.severity && <span className="loupe-quiet">{SEVERITY_LABELS[audit.severity]}</span>}
                <span className="loupe-history-meta">
                  {audit.auditorId} · <time dateTime={new Date(audit.updatedAt).toISOString()}>{timeFormat.format(audit.updatedAt)}</time>{' '}
                  · rev {audit.rev}
                </span>
              </div>
              {audit.errorTags.length > 0 && <p className="loupe-history-tags">{audit.errorTags.map(labelOf).join(', ')}</p>}
              {audit.correctedDecision && <p>Should be: {audit.correctedDecision}</p>}
              {audit.note && <p className="loupe-history-note">{audit.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
