/**
 * Team numbers (issue 4): `GET {base}/v1/summary?day=YYYY-MM-DD&tz=<IANA zone>` answers one calendar day's
 * metrics over every auditor's synced audits. The receiver (server/summary.ts) builds the answer and the popup
 * reads it with `fetchTeamSummary`; both check it against the schema below. A 404 means the endpoint has no
 * summary, and the popup keeps to local numbers. `fetch` and the timeout are parameters, so the
 * cases are a plain table in tests/unit/team-summary.test.ts.
 */
import { z } from 'zod';
import { englishProblem, type ProblemText } from '../problems';
import { isAllowedEndpoint } from '../schemas';

export const SUMMARY_SCHEMA = 'loupe.summary/1';
export const SUMMARY_PATH = '/v1/summary';

/** A calendar date, `YYYY-MM-DD`, that exists (no 2026-02-29). */
export const calendarDaySchema = z.iso.date();

/** True when this runtime's Intl knows `timeZone` (an IANA name such as `Asia/Phnom_Penh`, or `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().min(1).max(64).refine(isKnownTimeZone, 'not a time zone this runtime knows');

const count = z.number().int().nonnegative();
const proportion = z.number().min(0).max(1);
const intervalSchema = z.object({ low: proportion, high: proportion });
const tagCountSchema = z.object({ tagId: z.string().min(1).max(64), count: count.min(1) });

// Objects are not strict: a newer server may add keys, as for batch answers (contract.ts). Wrong shapes are refused.
export const labelerSummarySchema = z.object({
  labelerId: z.string().min(1).max(256),
  /** Trials: correct + incorrect. */
  n: count,
  correct: count,
  incorrect: count,
  unsure: count,
  /** `null` when the labeler has no trials (only unsure audits). */
  accuracy: proportion.nullable(),
  /** 95 % Wilson interval; [0, 1] with no trials. */
  interval: intervalSchema,
  /** Incorrect audits marked critical. */
  critical: count,
  /** The labeler's most frequent error tags on incorrect audits (the reference receiver sends three). */
  topTags: z.array(tagCountSchema).max(100),
});
export type LabelerSummary = z.infer<typeof labelerSummarySchema>;

/** How many rows of the team's error-tag Pareto the receiver sends; shares are still of all tag occurrences. */
export const TEAM_TOP_TAGS = 10;

export const teamSummarySchema = z.object({
  schema: z.literal(SUMMARY_SCHEMA),
  day: calendarDaySchema,
  tz: z.string().min(1).max(64),
  /** Live audits created on `day` in `tz`; `critical` counts incorrect audits marked critical. */
  counts: z.object({ correct: count, incorrect: count, unsure: count, critical: count }),
  accuracy: proportion.nullable(),
  interval: intervalSchema,
  /** One row per labeler, ordered by labeler id; audits with no labeler count only in the team figures. */
  labelers: z.array(labelerSummarySchema).max(10_000),
  /** The team's most frequent error tags; `share` is of every tag occurrence on the day's incorrect audits. */
  topTags: z.array(tagCountSchema.extend({ share: proportion })).max(100),
});
export type TeamSummary = z.infer<typeof teamSummarySchema>;

export type TeamSummaryResult =
  | { kind: 'ok'; summary: TeamSummary }
  /** The endpoint answered 404: it has no summary route, so the popup shows local data. */
  | { kind: 'unsupported' }
  /** In English, and as a `problems` message the popup says in its language (lib/problems.ts). */
  | ({ kind: 'error' } & ProblemText);

/** `{base}/v1/summary?day=…&tz=…`, whether or not the base ends with a slash. */
export function summaryUrl(endpoint: string, day: string, timeZone: string): string {
  const query = new URLSearchParams({ day, tz: timeZone });
  return `${endpoint.trim().replace(/\/+$/, '')}${SUMMARY_PATH}?${query.toString()}`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** The `error` a receiver puts in a refusal's JSON body, when there is one. */
async function errorOf(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.json();
    const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    return typeof error === 'string' && error.trim() ? error.trim().slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

async function describeRefusal(response: Response, token: string | null): Promise<ProblemText> {
  const code = response.status;
  const status = String(code);
  if (code === 401 || code === 403) return token ? englishProblem('endpoint.tokenRefused', { status }) : englishProblem('team.tokenWanted', { status });
  if (code === 400) {
    const reason = await errorOf(response);
    return reason ? englishProblem('team.badRequestReason', { reason }) : englishProblem('team.badRequest');
  }
  if (code === 429) return englishProblem('endpoint.busy');
  if (code === 408 || code >= 500) return englishProblem('endpoint.serverError', { status });
  return englishProblem('team.unexpected', { status });
}

/** Checks a 200's body; the message names the first wrong field so whoever runs the endpoint can fix it. */
export function readTeamSummary(body: unknown, day: string): TeamSummaryResult {
  const parsed = teamSummarySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || 'body';
    return {
      kind: 'error',
      ...englishProblem('team.invalid', { schema: SUMMARY_SCHEMA, where: where.slice(0, 200), issue: (issue?.message ?? 'invalid').slice(0, 300) }),
    };
  }
  // Numbers for another day shown under today's heading would be wrong without looking wrong.
  if (parsed.data.day !== day) {
    return { kind: 'error', ...englishProblem('team.otherDay', { answered: parsed.data.day, day }) };
  }
  return { kind: 'ok', summary: parsed.data };
}

/** Team figures for `day` in `timeZone`. Never throws: every failure is a sentence for the popup. */
export async function fetchTeamSummary(
  endpoint: string,
  token: string | null,
  day: string,
  timeZone: string,
  fetchFn: typeof fetch = fetch,
  timeoutMs = 10_000,
): Promise<TeamSummaryResult> {
  if (!isAllowedEndpoint(endpoint.trim())) {
    return { kind: 'error', ...englishProblem('team.badEndpoint') };
  }
  const url = summaryUrl(endpoint, day, timeZone);
  const host = new URL(url).host;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchFn(url, {
      method: 'GET',
      headers: token ? { Authorization: `Bearer ${token}`, Accept: 'application/json' } : { Accept: 'application/json' },
      signal: controller.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
    if (response.status === 404) return { kind: 'unsupported' };
    if (response.status !== 200) return { kind: 'error', ...(await describeRefusal(response, token)) };
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (controller.signal.aborted) throw error;
      return { kind: 'error', ...englishProblem('team.notJson') };
    }
    return readTeamSummary(body, day);
  } catch {
    // fetch rejects with a TypeError for every network failure and says no more; an abort is ours: the timeout.
    if (controller.signal.aborted) return { kind: 'error', ...englishProblem('endpoint.timeout', { duration: duration(timeoutMs) }) };
    return { kind: 'error', ...englishProblem('team.noAnswer', { host }) };
  } finally {
    clearTimeout(timer);
  }
}
