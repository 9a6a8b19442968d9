import { describe, expect, it, vi } from 'vitest';
import { endpointOrigin, hasEndpointPermission, requestEndpointPermission } from '../../lib/sync/endpoint-permission';
import { healthUrl, testConnection } from '../../lib/sync/test-connection';

const BASE = 'http://127.0.0.1:8787';

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

describe('testConnection', () => {
  it.each<[string, () => Response | Error, string | null, { ok: boolean; message: string }]>([
    ['a Loupe endpoint', () => json(200, { ok: true, schema: 'loupe.batch/1' }), 'tok', { ok: true, message: 'Connected: the endpoint accepts Loupe batches' }],
    ['an endpoint that names no schema', () => json(200, { ok: true }), null, { ok: true, message: 'Connected: the endpoint accepts Loupe batches' }],
    ['a refused token', () => json(401, { error: 'missing or wrong bearer token' }), 'tok', { ok: false, message: 'The endpoint refused the token (HTTP 401)' }],
    ['a forbidden token', () => json(403, {}), 'tok', { ok: false, message: 'The endpoint refused the token (HTTP 403)' }],
    ['no token where one is needed', () => json(401, {}), null, { ok: false, message: 'The endpoint wants a token (HTTP 401): add one and test again' }],
    ['not found', () => new Response('<h1>Not found</h1>', { status: 404 }), 'tok', { ok: false, message: 'That address answered, but not as a Loupe endpoint (HTTP 404)' }],
    ['wrong method', () => new Response('', { status: 405 }), 'tok', { ok: false, message: 'That address answered, but not as a Loupe endpoint (HTTP 405)' }],
    ['a server error', () => new Response('', { status: 503 }), 'tok', { ok: false, message: 'The endpoint has a server error (HTTP 503): try again later' }],
    ['throttled', () => new Response('', { status: 429 }), 'tok', { ok: false, message: 'The endpoint is busy (HTTP 429): try again in a minute' }],
    ['an unexpected status', () => new Response('', { status: 418 }), 'tok', { ok: false, message: 'The endpoint answered HTTP 418, which is not what a Loupe endpoint answers to a health check' }],
    ['a 204 with no body', () => new Response(null, { status: 204 }), 'tok', { ok: false, message: 'The endpoint answered HTTP 204, which is not what a Loupe endpoint answers to a health check' }],
    ['a 200 that is not JSON', () => new Response('<html>hello</html>', { status: 200 }), 'tok', { ok: false, message: 'That address answered, but not as a Loupe endpoint (HTTP 200 that is not JSON)' }],
    ['a 200 without ok: true', () => json(200, { status: 'up' }), 'tok', { ok: false, message: 'That address answered, but not as a Loupe endpoint (HTTP 200 without "ok": true)' }],
    ['a 200 with ok: "true"', () => json(200, { ok: 'true' }), 'tok', { ok: false, message: 'That address answered, but not as a Loupe endpoint (HTTP 200 without "ok": true)' }],
    ['a 200 that is JSON null', () => json(200, null), 'tok', { ok: false, message: 'That address answered, but not as a Loupe endpoint (HTTP 200 without "ok": true)' }],
    ['another schema', () => json(200, { ok: true, schema: 'loupe.batch/2' }), 'tok', { ok: false, message: "The endpoint speaks loupe.batch/2, not loupe.batch/1: it cannot take this Loupe’s batches" }],
    ['a network error', () => new TypeError('Failed to fetch'), 'tok', { ok: false, message: 'No answer from 127.0.0.1:8787 — is the server running?' }],
  ])('%s', async (_case, answer, token, expected) => {
    const fetchFn = fakeFetch(answer());
    await expect(testConnection(BASE, token, fetchFn)).resolves.toMatchObject(expected);
  });

  it('sends GET {base}/v1/health with the bearer token, no cookies', async () => {
    const fetchFn = fakeFetch(json(200, { ok: true }));
    await testConnection('https://qa.example.com/loupe/', 's3cret-token', fetchFn);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const [url, init] = fetchFn.mock.calls[0]!;
    expect(url).toBe('https://qa.example.com/loupe/v1/health');
    expect(init?.method).toBe('GET');
    expect(init?.credentials).toBe('omit');
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer s3cret-token');
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('sends no Authorization header without a token', async () => {
    const fetchFn = fakeFetch(json(200, { ok: true }));
    await testConnection(BASE, null, fetchFn);
    expect(new Headers(fetchFn.mock.calls[0]![1]?.headers).has('Authorization')).toBe(false);
  });

  it('gives up after the timeout and says so', async () => {
    vi.useFakeTimers();
    try {
      const fetchFn = hangingFetch();
      const result = testConnection('https://qa.example.com', 'tok', fetchFn);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(fetchFn.mock.calls[0]![1]?.signal?.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await expect(result).resolves.toMatchObject({ ok: false, message: 'Timed out after 10 s' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('says the timeout it was given', async () => {
    await expect(testConnection(BASE, null, hangingFetch(), 20)).resolves.toMatchObject({ ok: false, message: 'Timed out after 20 ms' });
    vi.useFakeTimers();
    try {
      const result = testConnection(BASE, null, hangingFetch(), 1_500);
      await vi.advanceTimersByTimeAsync(1_500);
      await expect(result).resolves.toMatchObject({ ok: false, message: 'Timed out after 1.5 s' });
    } finally {
      vi.useRealTimers();
    }
  });

  it.each(['http://example.com', 'ftp://127.0.0.1', 'not a url', 'https://qa.example.com/?team=1'])(
    'refuses %s without sending anything',
    async (endpoint) => {
      const fetchFn = fakeFetch(json(200, { ok: true }));
      const result = await testConnection(endpoint, null, fetchFn);
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/https:\/\//);
      expect(fetchFn).not.toHaveBeenCalled();
    },
  );
});

describe('healthUrl', () => {
  it.each([
    ['https://qa.example.com', 'https://qa.example.com/v1/health'],
    ['https://qa.example.com/', 'https://qa.example.com/v1/health'],
    ['https://qa.example.com/loupe//', 'https://qa.example.com/loupe/v1/health'],
    [' http://localhost:8787 ', 'http://localhost:8787/v1/health'],
  ])('%s → %s', (base, expected) => {
    expect(healthUrl(base)).toBe(expected);
  });
});

describe('endpoint permission', () => {
  it.each([
    ['https://qa.example.com/loupe', 'https://qa.example.com/*'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1/*'],
    ['http://localhost:8787/base/', 'http://localhost/*'],
    ['http://example.com', null],
    ['https://user:pw@qa.example.com', null],
    ['nonsense', null],
  ])('endpointOrigin(%s) → %s', (endpoint, origin) => {
    expect(endpointOrigin(endpoint)).toBe(origin);
  });

  it('requests the origin synchronously, before returning (user gesture)', () => {
    const request = vi.fn(() => new Promise<boolean>(() => {}));
    void requestEndpointPermission({ request }, 'http://127.0.0.1:8787');
    expect(request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
  });

  it('asks nothing for an address sync may not use', async () => {
    const request = vi.fn(async () => true);
    await expect(requestEndpointPermission({ request }, 'http://example.com')).resolves.toBe(false);
    expect(request).not.toHaveBeenCalled();
  });

  it('turns a synchronous throw into a rejection', async () => {
    const request = vi.fn((): Promise<boolean> => {
      throw new Error('not in a user gesture');
    });
    await expect(requestEndpointPermission({ request }, 'https://qa.example.com')).rejects.toThrow('user gesture');
  });

  it('checks the granted origins', async () => {
    const contains = vi.fn(async ({ origins }: { origins: string[] }) => origins[0] === 'https://qa.example.com/*');
    await expect(hasEndpointPermission({ contains }, 'https://qa.example.com/x')).resolves.toBe(true);
    await expect(hasEndpointPermission({ contains }, 'https://other.example.com')).resolves.toBe(false);
    await expect(hasEndpointPermission({ contains }, 'http://example.com')).resolves.toBe(false);
    expect(contains).toHaveBeenCalledTimes(2);
  });
});
