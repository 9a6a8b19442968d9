/**
 * Which error tags make up most of the errors: bars by count, largest first, and the cumulative share as a
 * line on its own 0–100 % axis. Each bar is a button (Enter, Space or a click lists the audits behind it).
 */
import { useId, type KeyboardEvent } from 'react';
import type { TagParetoRow } from '../../lib/metrics';
import { useT, type DashboardT } from './i18n';
import { ChartNumbers } from './tables';

interface ParetoChartProps {
  rows: readonly TagParetoRow[];
  selectedTagId: string | null;
  onSelectTag: (tagId: string) => void;
}

const HEIGHT = 300;
const MARGIN = { top: 16, right: 56, bottom: 80, left: 56 };
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const BAR_SLOT = 72;

/** Tag labels are up to 80 characters; under a bar they are cut, and the button's name carries the whole. */
function shortLabel(label: string): string {
  const chars = [...label];
  return chars.length > 14 ? `${chars.slice(0, 13).join('')}…` : label;
}

/** Round count ticks: 0, then up to five steps of 1, 2 or 5 × 10ⁿ. */
function countTicks(max: number): number[] {
  const raw = Math.max(1, max) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const top = Math.ceil(Math.max(1, max) / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

export function barName(row: TagParetoRow, i18n: Pick<DashboardT, 't' | 'percent'>): string {
  return i18n.t('dashboard.pareto.bar', {
    tag: row.label,
    errors: i18n.t('dashboard.errors', { count: row.count }),
    share: i18n.percent(row.share),
    cumulative: i18n.percent(row.cumulativeShare),
  });
}

export function ParetoChart({ rows, selectedTagId, onSelectTag }: ParetoChartProps) {
  const titleId = useId();
  const i18n = useT();
  const { t, percent, number } = i18n;
  const descId = useId();
  const width = MARGIN.left + MARGIN.right + Math.max(rows.length, 4) * BAR_SLOT;
  const ticks = countTicks(Math.max(0, ...rows.map((row) => row.count)));
  const top = ticks.at(-1) ?? 1;
  const yCount = (count: number) => MARGIN.top + PLOT_H * (1 - count / top);
  const yShare = (share: number) => MARGIN.top + PLOT_H * (1 - share);
  const xCenter = (index: number) => MARGIN.left + BAR_SLOT * (index + 0.5);
  const right = width - MARGIN.right;
  const topTwo = rows.slice(0, 2);
  const summary =
    topTwo.length === 0
      ? t('dashboard.pareto.none')
      : t('dashboard.pareto.summary', {
          top: topTwo.map((row) => t('dashboard.pareto.topTag', { tag: row.label, share: percent(row.share) })).join(', '),
          share: percent(topTwo.at(-1)?.cumulativeShare ?? 0),
          errors: t('dashboard.errors', { count: rows.reduce((sum, row) => sum + row.count, 0) }),
        });

  function onKeyDown(event: KeyboardEvent, tagId: string) {
    if (event.key === 'Enter' || event.key === ' ') {
      // Space would scroll the page; a button takes it.
      event.preventDefault();
      onSelectTag(tagId);
    }
  }

  return (
    <figure className="chart">
      <p id={descId} className="chart__summary">
        {summary}
      </p>
      <div className="chart__scroll">
        <svg
          role="group"
          aria-labelledby={titleId}
          aria-describedby={descId}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          width={width}
          height={HEIGHT}
          className="chart__svg chart__svg--fixed"
        >
          <title id={titleId}>{t('dashboard.pareto.title')}</title>
          {ticks.map((tick) => (
            <g key={tick} className="chart__grid" aria-hidden="true">
              <line x1={MARGIN.left} x2={right} y1={yCount(tick)} y2={yCount(tick)} />
              <text x={MARGIN.left - 8} y={yCount(tick)} textAnchor="end" dominantBaseline="middle">
                {number(tick)}
              </text>
            </g>
          ))}
          <g aria-hidden="true">
            {[0, 0.25, 0.5, 0.75, 1].map((share) => (
              <text key={share} className="chart__tick" x={right + 8} y={yShare(share)} dominantBaseline="middle">
                {percent(share, 0)}
              </text>
            ))}
            <text className="chart__axis-title" transform={`translate(14 ${MARGIN.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle">
              {t('dashboard.pareto.axisErrors')}
            </text>
            <text className="chart__axis-title" transform={`translate(${width - 6} ${MARGIN.top + PLOT_H / 2}) rotate(90)`} textAnchor="middle">
              {t('dashboard.pareto.axisCumulative')}
            </text>
          </g>
          {rows.map((row, index) => {
            const selected = row.tagId === selectedTagId;
            return (
              <g
                key={row.tagId}
                role="button"
                tabIndex={0}
                aria-pressed={selected}
                aria-label={barName(row, i18n)}
                className={selected ? 'pareto__bar pareto__bar--selected' : 'pareto__bar'}
                onClick={() => onSelectTag(row.tagId)}
                onKeyDown={(event) => onKeyDown(event, row.tagId)}
              >
                {/* The whole slot takes the click, so a bar of 1 is as easy to hit as a bar of 100. */}
                <rect className="pareto__slot" x={xCenter(index) - BAR_SLOT / 2} y={MARGIN.top} width={BAR_SLOT} height={PLOT_H + 40} />
                <rect
                  className="pareto__fill"
                  x={xCenter(index) - BAR_SLOT * 0.35}
                  y={yCount(row.count)}
                  width={BAR_SLOT * 0.7}
                  height={MARGIN.top + PLOT_H - yCount(row.count)}
                />
              </g>
            );
          })}
          {/* Labels sit outside the buttons: a role="button" may hold no hidden text (axe: nested-interactive, and
              its name comes from aria-label anyway). They let clicks through to the slot underneath. */}
          <g className="pareto__labels" aria-hidden="true">
            {rows.map((row, index) => (
              <g key={row.tagId}>
                <text className="chart__tick" x={xCenter(index)} y={MARGIN.top + PLOT_H + 16} textAnchor="middle">
                  {shortLabel(row.label)}
                </text>
                <text className="chart__tick" x={xCenter(index)} y={MARGIN.top + PLOT_H + 32} textAnchor="middle">
                  {number(row.count)}
                </text>
              </g>
            ))}
          </g>
          <g aria-hidden="true">
            <polyline
              className="pareto__cumulative"
              points={rows.map((row, index) => `${xCenter(index)},${yShare(row.cumulativeShare)}`).join(' ')}
            />
            {rows.map((row, index) => (
              <circle key={row.tagId} className="pareto__point" cx={xCenter(index)} cy={yShare(row.cumulativeShare)} r={4} />
            ))}
            <line className="chart__axis" x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={MARGIN.top + PLOT_H} />
            <line className="chart__axis" x1={right} x2={right} y1={MARGIN.top} y2={MARGIN.top + PLOT_H} />
            <line className="chart__axis" x1={MARGIN.left} x2={right} y1={MARGIN.top + PLOT_H} y2={MARGIN.top + PLOT_H} />
          </g>
        </svg>
      </div>
      <figcaption className="chart__legend">
        <span className="legend legend--bar">{t('dashboard.pareto.legendBars')}</span>
        <span className="legend legend--cumulative">{t('dashboard.pareto.legendCumulative')}</span>
        <span className="chart__hint">{t('dashboard.pareto.hint')}</span>
      </figcaption>
      <ChartNumbers
        caption={t('dashboard.pareto.caption')}
        headings={
          <>
            <th scope="col">{t('dashboard.pareto.tag')}</th>
            <th scope="col">{t('dashboard.pareto.errors')}</th>
            <th scope="col">{t('dashboard.pareto.share')}</th>
            <th scope="col">{t('dashboard.pareto.cumulative')}</th>
          </>
        }
      >
        {rows.map((row) => (
          <tr key={row.tagId}>
            <th scope="row">{row.label}</th>
            <td>{number(row.count)}</td>
            <td>{percent(row.share)}</td>
            <td>{percent(row.cumulativeShare)}</td>
          </tr>
        ))}
      </ChartNumbers>
    </figure>
  );
}
