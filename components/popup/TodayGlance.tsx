/**
 * "Today at a glance": accuracy against gold with its 95 % interval, judged against the KPI target in words and
 * colour (the interval decides, not the point estimate), the day's counts, the top error tags, the per-labeler
 * table and the week's trend, for "Me" or "Team". Says where the numbers come from, since "Team" without a team
 * endpoint is only what this browser holds.
 */
import type { DaySummary } from '../../lib/leads/day-summary';
import type { TargetVerdict } from '../../lib/metrics';
import { LabelerTable } from './LabelerTable';
import { formatInterval, formatPercent } from './percent';
import type { LabelerSort, LabelerSortKey, Scope } from './popup-store';
import type { PopupData, TeamRemote } from './use-popup-day';
import { WeekTrend } from './WeekTrend';
import { TARGET_LABELS } from '../shared/labels';

export interface TodayGlanceProps {
  data: Extract<PopupData, { kind: 'day' }>;
  remote: TeamRemote;
  /** What the switch shows: the latest choice, which the data catches up with a moment later. */
  chosen: Scope;
  sort: LabelerSort;
  onScope: (scope: Scope) => void;
  onSort: (key: LabelerSortKey) => void;
}

const VERDICT_WORDS: Record<TargetVerdict, { icon: string; words: string }> = {
  'on-target': { icon: '✓', words: TARGET_LABELS['on-target'] },
  'below-target': { icon: '▼', words: TARGET_LABELS['below-target'] },
  'not-enough': { icon: '?', words: TARGET_LABELS['not-enough'] },
};

function verdictReason(summary: DaySummary): string {
  const target = formatPercent(summary.target);
  if (summary.n === 0) return `Nothing judged correct or incorrect yet; the target is ${target}.`;
  switch (summary.targetVerdict) {
    case 'on-target':
      return `Even the interval’s low end meets the ${target} target.`;
    case 'below-target':
      return `Even the interval’s high end is under the ${target} target.`;
    case 'not-enough':
      return `The interval spans the ${target} target: more audits are needed to tell.`;
  }
}

const LOCAL_TEAM = 'All auditors in this browser';

function sourceNote(data: TodayGlanceProps['data'], remote: TeamRemote): string {
  if (data.scope === 'me') return `Your audits, as ${data.auditorId ?? ''}`;
  switch (remote.kind) {
    case 'none':
      return `${LOCAL_TEAM} (no team endpoint)`;
    case 'pending':
      return `${LOCAL_TEAM}, while the team summary loads`;
    case 'summary':
      return 'The whole team, from the team endpoint';
    case 'unavailable':
      return remote.reason
        ? `${LOCAL_TEAM}: the team summary could not be loaded (${remote.reason})`
        : `${LOCAL_TEAM}: the team endpoint has no summary for today`;
  }
}

function audits(n: number): string {
  return `${n} ${n === 1 ? 'audit' : 'audits'}`;
}

export function TodayGlance({ data, remote, chosen, sort, onScope, onSort }: TodayGlanceProps) {
  const summary = remote.kind === 'summary' ? remote.summary : data.summary;
  const verdict = VERDICT_WORDS[summary.targetVerdict];
  const quota = data.scope === 'me' && data.quota ? ` of ${data.quota}` : '';
  const checked: Scope = data.auditorId === null ? 'team' : chosen;

  return (
    <section aria-labelledby="glance-title" className="glance">
      <div className="glance__head">
        <h2 id="glance-title">Today at a glance</h2>
        <span className="popup__detail">{data.day}</span>
      </div>
      <fieldset className="scope">
        <legend className="visually-hidden">Whose audits</legend>
        <label className="scope__option">
          <input
            type="radio"
            name="scope"
            value="me"
            checked={checked === 'me'}
            disabled={data.auditorId === null}
            onChange={() => onScope('me')}
          />
          Me
        </label>
        <label className="scope__option">
          <input type="radio" name="scope" value="team" checked={checked === 'team'} onChange={() => onScope('team')} />
          Team
        </label>
      </fieldset>
      <p className="popup__detail" data-testid="scope-note" aria-live="polite">
        {sourceNote(data, remote)}
      </p>

      {summary.audited === 0 ? (
        <>
          <p className="glance__empty">No audits yet today</p>
          <p className="popup__count" data-testid="today-count">
            {audits(0)}
            {quota}
          </p>
        </>
      ) : (
        <>
          <div className={`glance__verdict glance__verdict--${summary.targetVerdict}`} data-testid="target-verdict">
            <span aria-hidden="true" className="glance__icon">
              {verdict.icon}
            </span>{' '}
            <strong>{verdict.words}</strong>
          </div>
          {summary.accuracy === null ? null : (
            <p className="glance__accuracy" data-testid="accuracy">
              <span className="popup__number">{formatPercent(summary.accuracy)}</span>{' '}
              <span>({formatInterval(summary.interval)})</span>
            </p>
          )}
          <p className="popup__detail">
            {summary.n > 0 ? `95 % interval from ${summary.correct} correct of ${summary.n} judged. ` : ''}
            {verdictReason(summary)}
          </p>
          <dl className="glance__counts">
            <div>
              <dt>Audited</dt>
              <dd data-testid="today-count">
                {audits(summary.audited)}
                {quota}
              </dd>
            </div>
            <div>
              <dt>Unsure</dt>
              <dd data-testid="unsure-count">{summary.unsure}</dd>
            </div>
            <div>
              <dt>Critical errors</dt>
              <dd data-testid="critical-count">{summary.critical}</dd>
            </div>
          </dl>
          {summary.unsure > 0 ? <p className="popup__detail">Unsure verdicts are not counted in accuracy.</p> : null}
          {summary.topTags.length > 0 ? (
            <>
              <h3 id="tags-title">Top error tags</h3>
              <ol aria-labelledby="tags-title" className="glance__tags">
                {summary.topTags.map((tag) => (
                  <li key={tag.tagId}>
                    {tag.label} <span className="popup__detail">× {tag.count}</span>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          {summary.labelers.length > 0 ? <LabelerTable labelers={summary.labelers} sort={sort} onSort={onSort} /> : null}
          {summary.withoutLabeler > 0 ? (
            <p className="popup__detail">
              {audits(summary.withoutLabeler)} had no labeler on the page and {summary.withoutLabeler === 1 ? 'is' : 'are'} in no
              row.
            </p>
          ) : null}
        </>
      )}
      <WeekTrend
        points={data.trend}
        target={summary.target}
        source={data.scope === 'me' ? 'your audits' : 'all auditors in this browser'}
      />
    </section>
  );
}
