/** One row per labeler: the sample behind their accuracy, its interval, and whether it clears the target. */
import { targetVerdict, type LabelerScorecard } from '../../lib/metrics';
import { intervalText, percent, TARGET_LABELS } from './format';

interface LabelerTableProps {
  scorecards: readonly LabelerScorecard[];
  target: number;
}

export function LabelerTable({ scorecards, target }: LabelerTableProps) {
  if (scorecards.length === 0) return <p className="empty">No audits with a labeler in this selection.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>
          Accuracy per labeler against the {percent(target, 0)} target. “Below target” means the whole 95% interval
          is under it; with few audits the interval is wide and the sample cannot tell.
        </caption>
        <thead>
          <tr>
            <th scope="col">Labeler</th>
            <th scope="col">Judged</th>
            <th scope="col">Correct</th>
            <th scope="col">Incorrect</th>
            <th scope="col">Unsure</th>
            <th scope="col">Accuracy</th>
            <th scope="col">95% interval</th>
            <th scope="col">Against target</th>
            <th scope="col">Critical errors</th>
            <th scope="col">Top error tags</th>
          </tr>
        </thead>
        <tbody>
          {scorecards.map((card) => {
            const verdict = card.n === 0 ? 'not-enough' : targetVerdict(card.interval, target);
            return (
              <tr key={card.labelerId}>
                <th scope="row">{card.labelerId}</th>
                <td>{card.n}</td>
                <td>{card.correct}</td>
                <td>{card.incorrect}</td>
                <td>{card.unsure}</td>
                <td>{percent(card.accuracy)}</td>
                <td>{card.n > 0 ? intervalText(card.interval) : '–'}</td>
                <td className={`target target--${verdict}`}>{TARGET_LABELS[verdict]}</td>
                <td>{card.critical}</td>
                <td>{card.topTags.map((tag) => `${tag.label} (${tag.count})`).join(', ') || '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
