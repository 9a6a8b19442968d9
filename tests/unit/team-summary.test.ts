import { describe, expect, it, vi } from 'vitest';
import { fetchTeamSummary, summaryUrl, type TeamSummary, type TeamSummaryResult } from '../../lib/sync/team-summary';

const BASE = 'http://127.0.0.1:8787';
const DAY = '2026-11-22';
const ZONE = 'Asia/Phnom_Penh';

const SUMMARY: TeamSummary = {
  schema: 'loupe.summary/1',
  day: DAY,
  tz: ZONE,
  counts: { correct: 4, incorrect: 3, unsure: 1, critical: 1 },
  accuracy: 4 / 7,
  interval: { low: 0.2504583645276572, high: 0.8417801447485302 },
  labelers: [
    {
      labelerId: 'labeler-1',
      n: 4,
      correct: 3,
      incorrect: 1,
      unsure: 0,
      accuracy: 0.75,
      interval: { low: 0.30064184258240184, high: 0.9544127391902995 },
      critical: 1,
      topTags: [{ tagId: 'missed-violation', count: 1 }],
    },
  ],
  topTags: [{ tagId: 'missed-violation', count: 2, share: 0.5 }],
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fetch that answers once with `answer` (a Response, or an error to reject with) and records its calls. */
function fakeFetch(answer: Response | Error) {
  return vi.fn(async (_url: string | URL | Request, _init?: RequestInit): Promise<Response> => {
    if (answer instanceof Error) throw answer;
    return answer;
  });
}

/** A fetch that never answers until its signal aborts, as a server that accepted the connection and hangs. */
function hangingFetch() {
  return vi.fn(
    (_url: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
      }),
  );
}

const error = (message: string): TeamSummaryResult => ({ kind: 'error', message });

describe('fetchTeamSummary', () => {
  it.each<[string, () => Response | Error, string | null, TeamSummaryResult]>([
    ['a summary', () => json(200, SUMMARY), 'tok', { kind: 'ok', summary: SUMMARY }],
    ['a summary with keys a newer server added (tolerated, dropped)', () => json(200, { ...SUMMARY, rootCauses: [] }), 'tok', { kind: 'ok', summary: SUMMARY }],
    ['an empty day', () => json(200, { ...SUMMARY, counts: { correct: 0, incorrect: 0, unsure: 0, critical: 0 }, accuracy: null, interval: { low: 0, high: 1 }, labelers: [], topTags: [] }), null, {
      kind: 'ok',
      summary: { ...SUMMARY, counts: { correct: 0, incorrect: 0, unsure: 0, critical: 0 }, accuracy: null, interval: { low: 0, high: 1 }, labelers: [], topTags: [] },
    }],
    ['an endpoint without a summary (404)', () => json(404, { error: 'no route GET /v1/summary' }), 'tok', { kind: 'unsupported' }],
    ['a 404 that is not JSON', () => new Response('<h1>Not found</h1>', { status: 404 }), 'tok', { kind: 'unsupported' }],
    ['a refused token', () => json(401, { error: 'missing or wrong bearer token' }), 'tok', error('The endpoint refused the token (HTTP 401)')],
    ['no token where one is needed', () => json(401, {}), null, error('The endpoint wants a token for team numbers (HTTP 401)')],
    ['a bad request with a reason', () => json(400, { error: 'tz must be an IANA time zone' }), 'tok', error('The endpoint refused the request (HTTP 400): tz must be an IANA time zone')],
    ['a bad request without a reason', () => new Response('nope', { status: 400 }), 'tok', error('The endpoint refused the request (HTTP 400)')],
    ['a server error', () => new Response('', { status: 503 }), 'tok', error('The endpoint has a server error (HTTP 503): try again later')],
    ['throttled', () => new Response('', { status: 429 }), 'tok', error('The endpoint is busy (HTTP 429): try again in a minute')],
    ['an unexpected status', () => new Response('', { status: 405 }), 'tok', error('The endpoint answered HTTP 405, which is not a team summary')],
    ['a 200 that is not JSON', () => new Response('<html>hello</html>', { status: 200 }), 'tok', error('The endpoint answered HTTP 200, but not with JSON')],
    ['a 200 that is JSON null', () => json(200, null), 'tok', error("The endpoint’s team summary is not a loupe.summary/1 answer (body: Invalid input: expected object, received null)")],
    ['another schema', () => json(200, { ...SUMMARY, schema: 'loupe.summary/2' }), 'tok', error('The endpoint’s team summary is not a loupe.summary/1 answer (schema: Invalid input: expected "loupe.summary/1")')],
    ['an accuracy over 1', () => json(200, { ...SUMMARY, accuracy: 57 }), 'tok', error("The endpoint’s team summary is not a loupe.summary/1 answer (accuracy: Too big: expected number to be <=1)")],
    ['a labeler without counts', () => json(200, { ...SUMMARY, labelers: [{ labelerId: 'labeler-1' }] }), 'tok', error("The endpoint’s team summary is not a loupe.summary/1 answer (labelers.0.n: Invalid input: expected number, received undefined)")],
    ['a fractional count', () => json(200, { ...SUMMARY, counts: { ...SUMMARY.counts, correct: 1.5 } }), 'tok', error("The endpoint’s team summary is not a loupe.summary/1 answer (counts.correct: Invalid input: expected int, received number)")],
    ['another day', () => json(200, { ...SUMMARY, day: '2026-11-21' }), 'tok', error('The endpoint answered for 2026-11-21, not 2026-11-22')],
    ['a network error', () => new TypeError('Failed to fetch'), 'tok', error('No answer from 127.0.0.1:8787')],
  ])('%s', async (_case, answer, token, expected) => {
    const result = await fetchTeamSummary(BASE, token, DAY, ZONE, fakeFetch(answer()));
    // An error also carries its `problems` key and params (tests/unit/problems.test.ts); a summary, nothing more.
    if (expected.kind === 'error') expect(result).toMatchObject(expected);
    else expect(result).toEqual(expected);
  });

  it('sends GET {base}/v1/summary with the day, the zone and the bearer token, no cookies', async () => {
    const fetchFn = fakeFetch(json(200, SUMMARY));
    await fetchTeamSummary('https://qa.example.com/loupe/', 's3cret-token', DAY, ZONE, fetchFn);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const [url, init] = fetchFn.mock.calls[0]!;
    expect(url).toBe('https://qa.example.com/loupe/v1/summary?day=2026-11-22&tz=Asia%2FPhnom_Penh');
    expect(init?.method).toBe('GET');
    expect(init?.credentials).toBe('omit');
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer s3cret-token');
  });

  it('sends no Authorization header without a token', async () => {
    const fetchFn = fakeFetch(json(200, SUMMARY));
    await fetchTeamSummary(BASE, null, DAY, ZONE, fetchFn);
    expect(new Headers(fetchFn.mock.calls[0]![1]?.headers).has('Authorization')).toBe(false);
  });

  it('gives up after the timeout', async () => {
    await expect(fetchTeamSummary(BASE, 'tok', DAY, ZONE, hangingFetch(), 20)).resolves.toMatchObject(error('Timed out after 20 ms'));
  });

  it('refuses an endpoint the extension would not sync to, without fetching', async () => {
    const fetchFn = fakeFetch(json(200, SUMMARY));
    await expect(fetchTeamSummary('http://qa.example.com', 'tok', DAY, ZONE, fetchFn)).resolves.toMatchObject(
      error('The sync endpoint must be https:// (http:// only for localhost or 127.0.0.1)'),
    );
    expect(fetchFn).not.toHaveBeenCalled();
  });
});

describe('summaryUrl', () => {
  it.each([
    ['https://qa.example.com', 'https://qa.example.com/v1/summary?day=2026-11-22&tz=UTC'],
    ['https://qa.example.com/loupe//', 'https://qa.example.com/loupe/v1/summary?day=2026-11-22&tz=UTC'],
    [' https://qa.example.com/ ', 'https://qa.example.com/v1/summary?day=2026-11-22&tz=UTC'],
  ])('%j → %s', (endpoint, expected) => {
    expect(summaryUrl(endpoint, DAY, 'UTC')).toBe(expected);
  });
});
