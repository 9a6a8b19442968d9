/** One row per labeler: the sample behind their accuracy, its interval, and whether it clears the target. */
import { targetVerdict, type LabelerScorecard } from '../../lib/metrics';
import { useT } from './i18n';
import { AccuracyCells, AccuracyHeadings } from './tables';

interface LabelerTableProps {
  scorecards: readonly LabelerScorecard[];
  target: number;
}

export function LabelerTable({ scorecards, target }: LabelerTableProps) {
  const i18n = useT();
  const { t, percent, number } = i18n;
  if (scorecards.length === 0) return <p className="empty">{t('dashboard.labelers.none')}</p>;
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>{t('dashboard.labelers.caption', { target: percent(target, 0) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.labelers.labeler')}</th>
            <AccuracyHeadings />
            <th scope="col">{t('dashboard.labelers.againstTarget')}</th>
            <th scope="col">{t('dashboard.labelers.critical')}</th>
            <th scope="col">{t('dashboard.labelers.topTags')}</th>
          </tr>
        </thead>
        <tbody>
          {scorecards.map((card) => {
            const verdict = card.n === 0 ? 'not-enough' : targetVerdict(card.interval, target);
            return (
              <tr key={card.labelerId}>
                <th scope="row">{card.labelerId}</th>
                <AccuracyCells row={card} />
                <td className={`target target--${verdict}`}>{t(`common.target.${verdict}`)}</td>
                <td>{number(card.critical)}</td>
                <td>{card.topTags.map((tag) => t('dashboard.labelers.topTag', { tag: tag.label, count: tag.count })).join(', ') || '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
