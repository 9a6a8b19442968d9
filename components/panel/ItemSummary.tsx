/**
 * What Loupe read off the labeling page. Everything here comes from a page we do not control: rendered as text
 * nodes only, never as markup.
 */
import type { ItemReadingMessage } from '@/lib/protocol';
import type { DetectedItem, ItemField } from '@/lib/schemas';
import { FIELD_LABELS } from './labels';

const SHOWN_FIELDS = ['itemId', 'labelerId', 'labelerDecision', 'queue'] as const satisfies readonly (ItemField &
  keyof DetectedItem)[];

const SUMMARY_LABELS: Record<ItemField, string> = { ...FIELD_LABELS, itemId: 'Item' };

export function ItemSummary({ reading, siteName }: { reading: ItemReadingMessage | null; siteName: string }) {
  if (reading === null) {
    return <p className="loupe-waiting">Waiting for the page…</p>;
  }

  if (reading.status === 'missing') {
    return (
      <section className="loupe-missing" aria-labelledby="loupe-missing-heading">
        <h2 id="loupe-missing-heading">Loupe could not read the item id on this page</h2>
        {reading.problems.length > 0 && (
          <ul>
            {reading.problems.map((p) => (
              <li key={p.field}>
                {FIELD_LABELS[p.field]}: {p.problem}
              </li>
            ))}
          </ul>
        )}
        <p>
          To fix it: Open Loupe options → Sites → <strong>{siteName}</strong> and check the Item id field.
        </p>
      </section>
    );
  }

  const { item, problems } = reading;
  return (
    <section className="loupe-item" aria-label="Item on this page">
      <dl>
        {SHOWN_FIELDS.map((field) => (
          <div key={field} className="loupe-item-row">
            <dt>{SUMMARY_LABELS[field]}</dt>
            <dd className={item[field] === undefined ? 'loupe-unread' : undefined}>{item[field] ?? 'not read'}</dd>
          </div>
        ))}
      </dl>
      {problems.length > 0 && (
        <ul className="loupe-warnings" aria-label="Fields Loupe could not read">
          {problems.map((p) => (
            <li key={p.field}>
              {FIELD_LABELS[p.field]}: {p.problem}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
