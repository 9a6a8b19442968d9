/**
 * The parts the dashboard's tables share: the six accuracy columns (the daily numbers and the labeler table show
 * the same sample, split and interval), and the table of a chart's numbers folded under it.
 */
import type { ReactNode } from 'react';
import type { Interval, VerdictCounts } from '../../lib/metrics';
import { intervalText } from './format';
import { useT } from './i18n';

/** The headings of the accuracy columns, in the order AccuracyCells gives the cells. */
export function AccuracyHeadings() {
  const { t } = useT();
  return (
    <>
      <th scope="col">{t('dashboard.table.judged')}</th>
      <th scope="col">{t('dashboard.table.correct')}</th>
      <th scope="col">{t('dashboard.table.incorrect')}</th>
      <th scope="col">{t('dashboard.table.unsure')}</th>
      <th scope="col">{t('dashboard.table.accuracy')}</th>
      <th scope="col">{t('dashboard.table.interval')}</th>
    </>
  );
}

/** A row's sample (correct + incorrect), its split, and its accuracy with the 95 % interval; no interval without a sample. */
export function AccuracyCells({ row }: { row: VerdictCounts & { accuracy: number | null; interval: Interval } }) {
  const i18n = useT();
  const { number, percent } = i18n;
  return (
    <>
      <td>{number(row.n)}</td>
      <td>{number(row.correct)}</td>
      <td>{number(row.incorrect)}</td>
      <td>{number(row.unsure)}</td>
      <td>{percent(row.accuracy)}</td>
      <td>{row.n > 0 ? intervalText(row.interval, i18n) : '–'}</td>
    </>
  );
}

/**
 * A chart's numbers as a table under it, folded: what a screen reader, a keyboard or a spreadsheet wants of the
 * chart. `headings` are the header row's cells, `children` the body's rows.
 */
export function ChartNumbers({ caption, headings, children }: { caption: string; headings: ReactNode; children: ReactNode }) {
  const { t } = useT();
  return (
    <details className="numbers">
      <summary>{t('dashboard.table.showNumbers')}</summary>
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>{headings}</tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    </details>
  );
}
