/**
 * Seven days of accuracy as a small inline SVG. The picture is for the eye; its aria-label reads every value
 * (and the days without judged audits), so nothing is said by the line alone.
 */
import type { TrendPoint } from '../../lib/leads/day-summary';
import { useT, type PopupT } from './i18n';
import { formatPercent } from './percent';

export interface WeekTrendProps {
  points: readonly TrendPoint[];
  target: number;
  /** Says where the days come from ("your audits", "all auditors in this browser"). */
  source: string;
}

const WIDTH = 140;
const HEIGHT = 36;
const PAD = 4;

/**
 * `Nov 22` (`22 thg 11`, `22 พ.ย.`): the calendar date itself in the popup's language, read in UTC so no zone
 * moves it to another day. The translator builds the DateTimeFormat once and keeps it.
 */
const SHORT_DAY: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', timeZone: 'UTC' };

export function describeTrend(points: readonly TrendPoint[], i18n: Pick<PopupT, 't' | 'dateTime' | 'locale'>): string {
  return points
    .map((point) => {
      const day = i18n.dateTime(new Date(`${point.day}T00:00:00Z`), SHORT_DAY);
      return point.accuracy === null
        ? i18n.t('popup.trend.dayEmpty', { day })
        : i18n.t('popup.trend.day', { day, accuracy: formatPercent(point.accuracy, i18n.locale), judged: point.n });
    })
    .join('; ');
}

export function WeekTrend({ points, target, source }: WeekTrendProps) {
  const i18n = useT();
  const { t } = i18n;
  const known = points.flatMap((point) => (point.accuracy === null ? [] : [point.accuracy]));
  // The scale starts a little under the lowest of the values and the target, so a 92–98 % week is not a flat line.
  const floor = Math.max(0, Math.min(target, ...known) - 0.05);
  const x = (index: number) => PAD + (index * (WIDTH - 2 * PAD)) / Math.max(1, points.length - 1);
  const y = (value: number) => PAD + ((1 - value) * (HEIGHT - 2 * PAD)) / (1 - floor || 1);
  // Runs of consecutive days with a value; a day without judged audits breaks the line rather than inventing one.
  const runs: string[] = [];
  let run: string[] = [];
  points.forEach((point, index) => {
    if (point.accuracy === null) {
      if (run.length) runs.push(run.join(' '));
      run = [];
    } else {
      run.push(`${x(index).toFixed(1)},${y(point.accuracy).toFixed(1)}`);
    }
  });
  if (run.length) runs.push(run.join(' '));
  const label = t('popup.trend.label', { source, days: describeTrend(points, i18n) });

  return (
    <div className="trend">
      <h3>{t('popup.trend.title')}</h3>
      <svg
        role="img"
        aria-label={label}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="trend__chart"
        data-testid="week-trend"
      >
        <line x1={0} x2={WIDTH} y1={y(target)} y2={y(target)} className="trend__target" />
        {runs.map((points) => (
          <polyline key={points} points={points} className="trend__line" />
        ))}
        {points.map((point, index) =>
          point.accuracy === null ? null : (
            <circle key={point.day} cx={x(index)} cy={y(point.accuracy)} r={2.5} className="trend__dot" />
          ),
        )}
      </svg>
      <p className="popup__detail trend__legend">{t('popup.trend.legend', { target: formatPercent(target, i18n.locale) })}</p>
    </div>
  );
}
