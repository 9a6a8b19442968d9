/** Earlier verdicts on the item on screen (from the worker, newest first), so a re-audit knows what was said. */
import { memo } from 'react';
import type { Audit, ErrorTag } from '@/lib/schemas';
import { useT } from './i18n';

const TIME_FORMAT: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

// Memoised: the panel renders again on every change to its store; this is the item's earlier verdicts, unchanged by
// a key, a note keystroke or a status line.
export const HistoryList = memo(function HistoryList({ history, tags }: { history: readonly Audit[]; tags: readonly ErrorTag[] }) {
  const { t, dateTime } = useT();
  const labelOf = (tagId: string) => tags.find((t) => t.id === tagId)?.label ?? tagId;
  return (
    <section className="loupe-history" aria-labelledby="loupe-history-heading">
      <h2 id="loupe-history-heading">{t('panel.history.title')}</h2>
      {history.length === 0 ? (
        <p className="loupe-quiet">{t('panel.history.none')}</p>
      ) : (
        <ol>
          {history.map((audit) => (
            <li key={`${audit.id}:${audit.rev}`}>
              <div className="loupe-history-head">
                <span className={`loupe-badge loupe-badge-${audit.verdict}`}>{t(`common.verdict.${audit.verdict}`)}</span>
                {audit.severity && <span className="loupe-quiet">{t(`common.severity.${audit.severity}`)}</span>}
                <span className="loupe-history-meta">
                  {audit.auditorId} · <time dateTime={new Date(audit.updatedAt).toISOString()}>{dateTime(audit.updatedAt, TIME_FORMAT)}</time>{' '}
                  · {t('panel.history.rev', { rev: String(audit.rev) })}
                </span>
              </div>
              {audit.errorTags.length > 0 && <p className="loupe-history-tags">{audit.errorTags.map(labelOf).join(', ')}</p>}
              {audit.correctedDecision && <p>{t('panel.history.shouldBe', { decision: audit.correctedDecision })}</p>}
              {audit.note && <p className="loupe-history-note">{audit.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
});
