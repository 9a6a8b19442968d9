/**
 * `GET /v1/summary?day=YYYY-MM-DD&tz=<IANA zone>` (issue 4, lib/sync/team-summary.ts): one calendar day's team
 * metrics, computed with lib/metrics so the popup's "Team" figures mean what its "Me" figures mean.
 */
import { accuracy, errorTagPareto, labelerScorecards, wilsonInterval, type MetricAudit } from '../lib/metrics';
import {
  calendarDaySchema,
  SUMMARY_SCHEMA,
  TEAM_TOP_TAGS,
  timeZoneSchema,
  type TeamSummary,
} from '../lib/sync/team-summary';
import { dayOf, dayRange, type DayRange } from '../lib/time';
import type { StoredRecord } from './store';

const HOUR_MS = 3_600_000;

// The receiver does not know the team's taxonomy (it lives in each browser's settings): tags are reported by id
// and ties in a Pareto break by id. The popup puts its own labels on them.
const NO_TAXONOMY = { tags: [] };

export type SummaryQuery = { ok: true; day: string; timeZone: string } | { ok: false; error: string };

export function parseSummaryQuery(params: URLSearchParams): SummaryQuery {
  const day = params.get('day');
  const timeZone = params.get('tz');
  if (day === null || !calendarDaySchema.safeParse(day).success) {
    return { ok: false, error: `day must be a calendar date YYYY-MM-DD, got ${JSON.stringify(day)}` };
  }
  if (timeZone === null || !timeZoneSchema.safeParse(timeZone).success) {
    return { ok: false, error: `tz must be an IANA time zone such as "Asia/Phnom_Penh", got ${JSON.stringify(timeZone)}` };
  }
  return { ok: true, day, timeZone };
}

/**
 * [start, end) of the calendar `day` (already checked YYYY-MM-DD) in `timeZone`, through lib/time's `dayRange` so
 * 23 h and 25 h days are right. `undefined` when the zone skipped the day (Pacific/Apia on 2011-12-30).
 */
export function calendarDayRange(day: string, timeZone: string): DayRange | undefined {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  // Noon UTC is on `day` in every zone from UTC−12 to UTC+11; for zones further east it is already the next day
  // there, so step back half a day (and forward for the rare historical offset west of −12).
  const noon = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  noon.setUTCFullYear(year, month - 1, date);
  let instant = noon.getTime() + 12 * HOUR_MS;
  for (let step = 0; step < 4; step += 1) {
    const seen = dayOf(instant, timeZone);
    if (seen === day) return dayRange(instant, timeZone);
    instant += seen < day ? 12 * HOUR_MS : -12 * HOUR_MS;
  }
  return undefined;
}

/** The metric fields of a stored audit; its data passed validateRecordData when it was stored. */
function toMetricAudit(record: StoredRecord): MetricAudit {
  const data = record.data as Omit<MetricAudit, 'deleted'>;
  return {
    verdict: data.verdict,
    errorTags: data.errorTags,
    severity: data.severity,
    labelerId: data.labelerId,
    createdAt: data.createdAt,
    deleted: record.deleted,
  };
}

const isCritical = (audit: MetricAudit) => audit.verdict === 'incorrect' && audit.severity === 'critical';

/** The summary of `records` (the live audits created on `day` in `timeZone`). */
export function buildTeamSummary(records: readonly StoredRecord[], day: string, timeZone: string): TeamSummary {
  const audits = records.map(toMetricAudit).filter((audit) => !audit.deleted);
  const counts = { correct: 0, incorrect: 0, unsure: 0, critical: 0 };
  for (const audit of audits) {
    counts[audit.verdict] += 1;
    if (isCritical(audit)) counts.critical += 1;
  }
  // `belowTarget` is dropped: the KPI target is each team's setting in the extension, not the receiver's.
  const labelers = labelerScorecards(audits, NO_TAXONOMY, 0).map((card) => ({
    labelerId: card.labelerId,
    n: card.n,
    correct: card.correct,
    incorrect: card.incorrect,
    unsure: card.unsure,
    accuracy: card.accuracy,
    interval: card.interval,
    critical: card.critical,
    topTags: card.topTags.map(({ tagId, count }) => ({ tagId, count })),
  }));
  return {
    schema: SUMMARY_SCHEMA,
    day,
    tz: timeZone,
    counts,
    accuracy: accuracy(counts),
    interval: wilsonInterval(counts.correct, counts.correct + counts.incorrect),
    labelers,
    topTags: errorTagPareto(audits, NO_TAXONOMY)
      .slice(0, TEAM_TOP_TAGS)
      .map(({ tagId, count, share }) => ({ tagId, count, share })),
  };
}
