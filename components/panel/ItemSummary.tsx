/**
 * What Loupe read off the labeling page. Everything here comes from a page we do not control: rendered as text
 * nodes only, never as markup.
 */
import { memo } from 'react';
import type { ItemReadingMessage } from '@/lib/protocol';
import type { DetectedItem, ItemField } from '@/lib/schemas';
import { richText } from '@/lib/i18n/react';
import { describeReadProblem } from '@/lib/setup/setup-text';
import { useT, type PanelT } from './i18n';

const SHOWN_FIELDS = ['itemId', 'labelerId', 'labelerDecision', 'queue'] as const satisfies readonly (ItemField &
  keyof DetectedItem)[];

/** "Item" in the summary, where the value says it is an id; the field's full name elsewhere. */
function summaryLabel(field: ItemField, t: PanelT['t']): string {
  return field === 'itemId' ? t('panel.item.item') : t(`common.field.${field}`);
}

// Memoised: the panel renders again on every change to its store; this is the item read off the page, which changes
// only with a context push.
export const ItemSummary = memo(function ItemSummary({ reading, siteName }: { reading: ItemReadingMessage | null; siteName: string }) {
  const { t, parts } = useT();
  if (reading === null) {
    return <p className="loupe-waiting">{t('panel.item.waiting')}</p>;
  }

  if (reading.status === 'missing') {
    return (
      <section className="loupe-missing" aria-labelledby="loupe-missing-heading">
        <h2 id="loupe-missing-heading">{t('panel.item.missingTitle')}</h2>
        {reading.problems.length > 0 && (
          <ul>
            {reading.problems.map((p) => (
              <li key={p.field}>{t('panel.item.problem', { field: t(`common.field.${p.field}`), problem: describeReadProblem(p.problem, t) })}</li>
            ))}
          </ul>
        )}
        <p>{richText(parts('panel.item.fixIt', { site: <strong>{siteName}</strong> }))}</p>
      </section>
    );
  }

  const { item, problems } = reading;
  return (
    <section className="loupe-item" aria-label={t('panel.item.region')}>
      <dl>
        {SHOWN_FIELDS.map((field) => (
          <div key={field} className="loupe-item-row">
            <dt>{summaryLabel(field, t)}</dt>
            <dd className={item[field] === undefined ? 'loupe-unread' : undefined}>{item[field] ?? t('panel.item.notRead')}</dd>
          </div>
        ))}
      </dl>
      {problems.length > 0 && (
        <ul className="loupe-warnings" aria-label={t('panel.item.problems')}>
          {problems.map((p) => (
            <li key={p.field}>{t('panel.item.problem', { field: t(`common.field.${p.field}`), problem: describeReadProblem(p.problem, t) })}</li>
          ))}
        </ul>
      )}
    </section>
  );
});
