/**
 * "Today at a glance": accuracy against gold with its 95 % interval, judged against the KPI target in words and
 * colour (the interval decides, not the point estimate), the day's counts, the top error tags, the per-labeler
 * table and the week's trend, for "Me" or "Team". Says where the numbers come from, since "Team" without a team
 * endpoint is only what this browser holds.
 */
import type { DaySummary } from '../../lib/leads/day-summary';
import type { TargetVerdict } from '../../lib/metrics';
import { describeProblem } from '../../lib/problems';
import { LabelerTable } from './LabelerTable';
import { useT, type PopupT } from './i18n';
import { formatInterval, formatPercent } from './percent';
import type { LabelerSort, LabelerSortKey, Scope } from './popup-store';
import type { PopupData, TeamRemote } from './popup-day';
import { WeekTrend } from './WeekTrend';

export interface TodayGlanceProps {
  data: Extract<PopupData, { kind: 'day' }>;
  remote: TeamRemote;
  /** What the switch shows: the latest choice, which the data catches up with a moment later. */
  chosen: Scope;
  sort: LabelerSort;
  onScope: (scope: Scope) => void;
  onSort: (key: LabelerSortKey) => void;
}

const VERDICT_ICONS: Record<TargetVerdict, string> = { 'on-target': '✓', 'below-target': '▼', 'not-enough': '?' };

function verdictReason(summary: DaySummary, { t, locale }: PopupT): string {
  const target = formatPercent(summary.target, locale);
  if (summary.n === 0) return t('popup.reason.nothing', { target });
  return t(`popup.reason.${summary.targetVerdict}`, { target });
}

function sourceNote(data: TodayGlanceProps['data'], remote: TeamRemote, t: PopupT['t']): string {
  if (data.scope === 'me') return t('popup.source.me', { auditor: data.auditorId ?? '' });
  switch (remote.kind) {
    case 'none':
      return t('popup.source.none');
    case 'pending':
      return t('popup.source.pending');
    case 'summary':
      return t('popup.source.summary');
    case 'unavailable':
      return remote.reason ? t('popup.source.failed', { reason: describeProblem(remote.reason, { t }) }) : t('popup.source.unavailable');
  }
}

export function TodayGlance({ data, remote, chosen, sort, onScope, onSort }: TodayGlanceProps) {
  const i18n = useT();
  const { t, locale } = i18n;
  const summary = remote.kind === 'summary' ? remote.summary : data.summary;
  // "5 audits of 200" against this auditor's quota; the team has none.
  const quota = data.scope === 'me' && data.quota ? data.quota : undefined;
  const audits = (count: number) =>
    quota === undefined ? t('popup.audits', { count }) : t('popup.auditsOfQuota', { count, quota });
  const checked: Scope = data.auditorId === null ? 'team' : chosen;

  return (
    <section aria-labelledby="glance-title" className="glance">
      <div className="glance__head">
        <h2 id="glance-title">{t('popup.glance.title')}</h2>
        <span className="popup__detail">{data.day}</span>
      </div>
      <fieldset className="scope">
        <legend className="visually-hidden">{t('popup.scope.legend')}</legend>
        <label className="scope__option">
          <input
            type="radio"
            name="scope"
            value="me"
            checked={checked === 'me'}
            disabled={data.auditorId === null}
            onChange={() => onScope('me')}
          />
          {t('popup.scope.me')}
        </label>
        <label className="scope__option">
          <input type="radio" name="scope" value="team" checked={checked === 'team'} onChange={() => onScope('team')} />
          {t('popup.scope.team')}
        </label>
      </fieldset>
      <p className="popup__detail" data-testid="scope-note" aria-live="polite">
        {sourceNote(data, remote, t)}
      </p>

      {summary.audited === 0 ? (
        <>
          <p className="glance__empty">{t('popup.empty')}</p>
          <p className="popup__count" data-testid="today-count">
            {audits(0)}
          </p>
        </>
      ) : (
        <>
          <div className={`glance__verdict glance__verdict--${summary.targetVerdict}`} data-testid="target-verdict">
            <span aria-hidden="true" className="glance__icon">
              {VERDICT_ICONS[summary.targetVerdict]}
            </span>{' '}
            <strong>{t(`common.target.${summary.targetVerdict}`)}</strong>
          </div>
          {summary.accuracy === null ? null : (
            <p className="glance__accuracy" data-testid="accuracy">
              <span className="popup__number">{formatPercent(summary.accuracy, locale)}</span>{' '}
              <span>({formatInterval(summary.interval, locale)})</span>
            </p>
          )}
          <p className="popup__detail">
            {summary.n > 0 ? `${t('popup.intervalFrom', { correct: summary.correct, judged: summary.n })} ` : ''}
            {verdictReason(summary, i18n)}
          </p>
          <dl className="glance__counts">
            <div>
              <dt>{t('popup.counts.audited')}</dt>
              <dd data-testid="today-count">{audits(summary.audited)}</dd>
            </div>
            <div>
              <dt>{t('popup.counts.unsure')}</dt>
              <dd data-testid="unsure-count">{i18n.number(summary.unsure)}</dd>
            </div>
            <div>
              <dt>{t('popup.counts.critical')}</dt>
              <dd data-testid="critical-count">{i18n.number(summary.critical)}</dd>
            </div>
          </dl>
          {summary.unsure > 0 ? <p className="popup__detail">{t('popup.unsureNote')}</p> : null}
          {summary.topTags.length > 0 ? (
            <>
              <h3 id="tags-title">{t('popup.topTags')}</h3>
              <ol aria-labelledby="tags-title" className="glance__tags">
                {summary.topTags.map((tag) => (
                  <li key={tag.tagId}>
                    {tag.label} <span className="popup__detail">{t('popup.tagCount', { count: tag.count })}</span>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          {summary.labelers.length > 0 ? <LabelerTable labelers={summary.labelers} sort={sort} onSort={onSort} /> : null}
          {summary.withoutLabeler > 0 ? (
            <p className="popup__detail">{t('popup.withoutLabeler', { count: summary.withoutLabeler })}</p>
          ) : null}
        </>
      )}
      <WeekTrend points={data.trend} target={summary.target} source={data.scope === 'me' ? t('popup.trend.mine') : t('popup.trend.team')} />
    </section>
  );
}
