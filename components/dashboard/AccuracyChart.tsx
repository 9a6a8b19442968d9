/**
 * Daily accuracy against the KPI target, with each day's 95 % Wilson interval as a band: a day of 4 audits at
 * 100 % is not the same news as a day of 200. Inline SVG (no chart library: a few dozen shapes, and nothing
 * that could run page text as markup). The SVG is one image with a text alternative; its numbers, and a way to
 * list each day's audits by keyboard, are in the table under it.
 */
import { useId } from 'react';
import type { DailyRow } from '../../lib/metrics';
import type { Selection } from './dashboard-store';
import { useT, type DashboardT } from './i18n';
import { AccuracyCells, AccuracyHeadings, ChartNumbers } from './tables';

interface AccuracyChartProps {
  days: readonly DailyRow[];
  target: number;
  selection: Selection | null;
  onSelectDay: (day: string) => void;
}

const WIDTH = 720;
const HEIGHT = 280;
// The right margin holds "Target 95%" in every language ("Mục tiêu 95%" is the longest).
const MARGIN = { top: 16, right: 104, bottom: 48, left: 56 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/** The y axis starts at the tens below the lowest interval or the target, so a 90–100 % team sees its days apart. */
function yFloor(days: readonly DailyRow[], target: number): number {
  const lows = days.filter((day) => day.n > 0).map((day) => day.interval.low);
  const lowest = Math.min(target, ...lows);
  return Math.max(0, Math.floor(lowest * 10 - 1e-9) / 10);
}

/** Runs of consecutive days that have judged audits: the line and band break over days without any. */
function runs(days: readonly DailyRow[]): DailyRow[][] {
  const result: DailyRow[][] = [];
  let current: DailyRow[] = [];
  for (const day of days) {
    if (day.n > 0) current.push(day);
    else if (current.length > 0) {
      result.push(current);
      current = [];
    }
  }
  if (current.length > 0) result.push(current);
  return result;
}

export function describeAccuracy(days: readonly DailyRow[], target: number, i18n: Pick<DashboardT, 't' | 'percent'>): string {
  const { t, percent } = i18n;
  const judged = days.filter((day) => day.n > 0 && day.accuracy !== null);
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';
  if (judged.length === 0) return t('dashboard.daily.describeEmpty', { from: first, to: last, target: percent(target) });
  const lowest = judged.reduce((a, b) => ((b.accuracy ?? 1) < (a.accuracy ?? 1) ? b : a));
  const highest = judged.reduce((a, b) => ((b.accuracy ?? 0) > (a.accuracy ?? 0) ? b : a));
  const below = judged.filter((day) => day.interval.high < target).length;
  return t('dashboard.daily.describe', {
    from: first,
    to: last,
    target: percent(target),
    judgedDays: t('dashboard.daily.judgedDays', { count: judged.length }),
    lowest: percent(lowest.accuracy),
    lowestDay: lowest.day,
    highest: percent(highest.accuracy),
    highestDay: highest.day,
    belowDays: t('dashboard.daily.belowDays', { count: below }),
  });
}

export function AccuracyChart({ days, target, selection, onSelectDay }: AccuracyChartProps) {
  const titleId = useId();
  const i18n = useT();
  const { t, percent } = i18n;
  const floor = yFloor(days, target);
  const step = days.length > 0 ? PLOT_W / days.length : PLOT_W;
  const x = (index: number) => MARGIN.left + step * (index + 0.5);
  const y = (value: number) => MARGIN.top + PLOT_H * (1 - (value - floor) / (1 - floor));
  const indexOf = new Map(days.map((day, index) => [day.day, index]));
  const ticks = Array.from({ length: Math.round((1 - floor) * 10) + 1 }, (_, i) => floor + i / 10);
  const labelEvery = Math.ceil(days.length / 10);
  const selectedDay = selection?.kind === 'day' ? selection.day : null;

  return (
    <figure className="chart">
      <svg
        role="img"
        aria-labelledby={titleId}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="chart__svg"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>{describeAccuracy(days, target, i18n)}</title>
        {ticks.map((tick) => (
          <g key={tick} className="chart__grid">
            <line x1={MARGIN.left} x2={MARGIN.left + PLOT_W} y1={y(tick)} y2={y(tick)} />
            <text x={MARGIN.left - 8} y={y(tick)} textAnchor="end" dominantBaseline="middle">
              {percent(tick, 0)}
            </text>
          </g>
        ))}
        <text className="chart__axis-title" transform={`translate(14 ${MARGIN.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle">
          {t('dashboard.daily.accuracy')}
        </text>
        <text className="chart__axis-title" x={MARGIN.left + PLOT_W / 2} y={HEIGHT - 6} textAnchor="middle">
          {t('dashboard.daily.day')}
        </text>
        {days.map((day, index) =>
          index % labelEvery === 0 ? (
            <text key={day.day} className="chart__tick" x={x(index)} y={MARGIN.top + PLOT_H + 18} textAnchor="middle">
              {day.day.slice(5)}
            </text>
          ) : null,
        )}
        {selectedDay !== null && indexOf.has(selectedDay) ? (
          <rect
            className="chart__selected"
            x={x(indexOf.get(selectedDay) ?? 0) - step / 2}
            y={MARGIN.top}
            width={step}
            height={PLOT_H}
          />
        ) : null}
        {runs(days).map((run) => {
          const upper = run.map((day) => `${x(indexOf.get(day.day) ?? 0)},${y(day.interval.high)}`);
          const lower = run.map((day) => `${x(indexOf.get(day.day) ?? 0)},${y(day.interval.low)}`).reverse();
          const line = run.map((day) => `${x(indexOf.get(day.day) ?? 0)},${y(day.accuracy ?? 0)}`);
          // A one-day run would be an invisible zero-width band: draw it as an interval bar instead.
          return (
            <g key={run[0]?.day}>
              {run.length > 1 ? (
                <polygon className="chart__band" points={[...upper, ...lower].join(' ')} />
              ) : (
                <line
                  className="chart__band-bar"
                  x1={x(indexOf.get(run[0]?.day ?? '') ?? 0)}
                  x2={x(indexOf.get(run[0]?.day ?? '') ?? 0)}
                  y1={y(run[0]?.interval.high ?? 1)}
                  y2={y(run[0]?.interval.low ?? 0)}
                />
              )}
              <polyline className="chart__line" points={line.join(' ')} />
            </g>
          );
        })}
        <line className="chart__target" x1={MARGIN.left} x2={MARGIN.left + PLOT_W} y1={y(target)} y2={y(target)} />
        <text className="chart__target-label" x={MARGIN.left + PLOT_W + 6} y={y(target)} dominantBaseline="middle">
          {t('dashboard.daily.target', { target: percent(target, 0) })}
        </text>
        {days.map((day, index) =>
          day.n > 0 && day.accuracy !== null ? (
            <circle
              key={day.day}
              className={day.interval.high < target ? 'chart__point chart__point--below' : 'chart__point'}
              cx={x(index)}
              cy={y(day.accuracy)}
              r={day.day === selectedDay ? 6 : 4}
            />
          ) : null,
        )}
        {/* Pointer targets, a full column per day. Keyboard users pick days from the table below. */}
        {days.map((day, index) =>
          day.n + day.unsure > 0 ? (
            <rect
              key={day.day}
              className="chart__hit"
              data-day={day.day}
              x={x(index) - step / 2}
              y={MARGIN.top}
              width={step}
              height={PLOT_H}
              onClick={() => onSelectDay(day.day)}
            />
          ) : null,
        )}
        <line className="chart__axis" x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={MARGIN.top + PLOT_H} />
        <line className="chart__axis" x1={MARGIN.left} x2={MARGIN.left + PLOT_W} y1={MARGIN.top + PLOT_H} y2={MARGIN.top + PLOT_H} />
      </svg>
      <figcaption className="chart__legend">
        <span className="legend legend--line">{t('dashboard.daily.legendAccuracy')}</span>
        <span className="legend legend--band">{t('dashboard.daily.legendInterval')}</span>
        <span className="legend legend--target">{t('dashboard.daily.legendTarget')}</span>
        <span className="chart__hint">{t('dashboard.daily.hint')}</span>
      </figcaption>
      <ChartNumbers
        caption={t('dashboard.daily.caption')}
        headings={
          <>
            <th scope="col">{t('dashboard.table.day')}</th>
            <AccuracyHeadings />
            <th scope="col">
              <span className="visually-hidden">{t('dashboard.table.audits')}</span>
            </th>
          </>
        }
      >
        {days.map((day) => (
          <tr key={day.day} aria-current={day.day === selectedDay ? 'true' : undefined}>
            <th scope="row">{day.day}</th>
            <AccuracyCells row={day} />
            <td>
              {day.n + day.unsure > 0 ? (
                <button type="button" className="button button--small" onClick={() => onSelectDay(day.day)}>
                  {t('dashboard.daily.listAudits', { day: day.day })}
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </ChartNumbers>
    </figure>
  );
}
