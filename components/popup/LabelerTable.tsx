/**
 * Today's scorecard per labeler: judged audits, accuracy with its interval, a flag in words when the whole
 * interval is under the target (the sample shows a miss, not just a low point estimate), and the labeler's top
 * error tags. Sortable from the column headers, whose buttons take clicks and Enter alike; aria-sort says how.
 */
import type { LabelerScorecard } from '../../lib/metrics';
import { useT } from './i18n';
import { formatAccuracy } from './percent';
import type { LabelerSort, LabelerSortKey } from './popup-store';

export interface LabelerTableProps {
  labelers: readonly LabelerScorecard[];
  sort: LabelerSort;
  onSort: (key: LabelerSortKey) => void;
}

/** Code-unit order, as lib/metrics sorts labelers: the same table in every browser. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBy(key: LabelerSortKey, a: LabelerScorecard, b: LabelerScorecard): number {
  switch (key) {
    case 'labeler':
      return compareIds(a.labelerId, b.labelerId);
    case 'audits':
      return a.n - b.n;
    case 'accuracy':
      return (a.accuracy ?? 0) - (b.accuracy ?? 0);
  }
}

/** Sorted by `sort`, ties by labeler id; a labeler with nothing judged (only unsure) always goes last. */
export function sortLabelers(labelers: readonly LabelerScorecard[], sort: LabelerSort): LabelerScorecard[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...labelers].sort((a, b) => {
    if (sort.key === 'accuracy' && (a.accuracy === null) !== (b.accuracy === null)) return a.accuracy === null ? 1 : -1;
    return sign * compareBy(sort.key, a, b) || compareIds(a.labelerId, b.labelerId);
  });
}

/** Each column's header is `popup.labelers.<key>` in the catalogs. */
const COLUMNS: { key: LabelerSortKey; numeric: boolean }[] = [
  { key: 'labeler', numeric: false },
  { key: 'audits', numeric: true },
  { key: 'accuracy', numeric: true },
];

export function LabelerTable({ labelers, sort, onSort }: LabelerTableProps) {
  const { t, number, locale } = useT();
  const rows = sortLabelers(labelers, sort);
  return (
    <table className="labelers">
      <caption>{t('popup.labelers.caption')}</caption>
      <thead>
        <tr>
          {COLUMNS.map((column) => {
            const active = sort.key === column.key;
            return (
              <th
                key={column.key}
                scope="col"
                aria-sort={active ? sort.direction : 'none'}
                className={column.numeric ? 'labelers__numeric' : undefined}
              >
                <button type="button" className="labelers__sort" onClick={() => onSort(column.key)}>
                  {t(`popup.labelers.${column.key}`)}
                  <span aria-hidden="true" className="labelers__arrow">
                    {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                  </span>
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.map((card) => (
          <tr key={card.labelerId} className={card.belowTarget ? 'labelers__row--flagged' : undefined}>
            <th scope="row">
              <span className="labelers__id">{card.labelerId}</span>
              {card.topTags.length > 0 ? (
                <span className="labelers__tags">
                  {card.topTags.map((tag) => t('popup.labelers.tag', { tag: tag.label, count: tag.count })).join(', ')}
                </span>
              ) : null}
            </th>
            <td className="labelers__numeric">
              {number(card.n)}
              {card.unsure > 0 ? <span className="labelers__sub">{t('popup.labelers.unsure', { count: card.unsure })}</span> : null}
            </td>
            <td className="labelers__numeric">
              {card.accuracy === null ? '—' : formatAccuracy(card.accuracy, card.interval, locale)}
              {card.belowTarget ? (
                <span className="labelers__flag">
                  <span aria-hidden="true">▼ </span>
                  {t('popup.labelers.below')}
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
