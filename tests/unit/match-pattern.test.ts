import { describe, expect, it } from 'vitest';
import { isValidMatchPattern, matchesPattern, originPatternOf, parseMatchPattern } from '../../lib/match-pattern';

describe('parseMatchPattern', () => {
  it.each([
    ['https://tool.example.com/review/*', { scheme: 'https', host: 'tool.example.com', port: '', path: '/review/*' }],
    ['*://*.example.com/*', { scheme: '*', host: '*.example.com', port: '', path: '/*' }],
    ['http://127.0.0.1:8080/*', { scheme: 'http', host: '127.0.0.1', port: '8080', path: '/*' }],
    ['https://*/', { scheme: 'https', host: '*', port: '', path: '/' }],
    ['https://Tool.Example.COM/Queue/*', { scheme: 'https', host: 'tool.example.com', port: '', path: '/Queue/*' }],
    ['  https://tool.example.com/*  ', { scheme: 'https', host: 'tool.example.com', port: '', path: '/*' }],
    ['https://tool.example.com:*/*', { scheme: 'https', host: 'tool.example.com', port: '*', path: '/*' }],
  ])('%s', (pattern, parsed) => {
    expect(parseMatchPattern(pattern)).toEqual(parsed);
    expect(isValidMatchPattern(pattern)).toBe(true);
  });

  it.each([
    ['no path', 'https://tool.example.com'],
    ['unsupported scheme', 'ftp://tool.example.com/*'],
    ['file scheme', 'file:///home/*'],
    ['wildcard inside the host', 'https://tool.*.com/*'],
    ['wildcard suffix of a label', 'https://*tool.example.com/*'],
    ['<all_urls>', '<all_urls>'],
    ['no scheme', 'tool.example.com/*'],
    ['empty host', 'https:///*'],
    ['port that is not a number', 'https://tool.example.com:http/*'],
    ['empty', ''],
  ])('rejects %s: %j', (_name, pattern) => {
    expect(parseMatchPattern(pattern)).toBeNull();
    expect(isValidMatchPattern(pattern)).toBe(false);
  });
});

describe('matchesPattern', () => {
  it.each([
    // host wildcards
    ['https://*.example.com/*', 'https://tool.example.com/queue', true],
    ['https://*.example.com/*', 'https://a.b.example.com/', true],
    ['https://*.example.com/*', 'https://example.com/', true],
    ['https://*.example.com/*', 'https://badexample.com/', false],
    ['https://*.example.com/*', 'https://example.com.evil.test/', false],
    ['https://*/*', 'https://anything.test/x', true],
    ['https://tool.example.com/*', 'https://TOOL.example.com/x', true],
    ['https://tool.example.com/*', 'https://other.example.com/x', false],
    // schemes
    ['*://tool.example.com/*', 'http://tool.example.com/', true],
    ['*://tool.example.com/*', 'https://tool.example.com/', true],
    ['https://tool.example.com/*', 'http://tool.example.com/', false],
    ['*://*/*', 'ftp://tool.example.com/', false],
    ['*://*/*', 'chrome-extension://abc/panel.html', false],
    // ports
    ['http://127.0.0.1/*', 'http://127.0.0.1:8080/queue', true],
    ['http://127.0.0.1:8080/*', 'http://127.0.0.1:8080/queue', true],
    ['http://127.0.0.1:8080/*', 'http://127.0.0.1:9090/queue', false],
    ['http://127.0.0.1:8080/*', 'http://127.0.0.1/queue', false],
    ['http://localhost:*/*', 'http://localhost:5173/', true],
    ['https://tool.example.com:443/*', 'https://tool.example.com/queue', true],
    ['http://tool.example.com:80/*', 'http://tool.example.com/queue', true],
    // paths, with the query part of what is matched and the fragment not
    ['https://tool.example.com/review/*', 'https://tool.example.com/review/123', true],
    ['https://tool.example.com/review/*', 'https://tool.example.com/review/', true],
    ['https://tool.example.com/review/*', 'https://tool.example.com/reviews/1', false],
    ['https://tool.example.com/review/*', 'https://tool.example.com/admin/review/1', false],
    ['https://tool.example.com/item?id=*', 'https://tool.example.com/item?id=42', true],
    ['https://tool.example.com/item?id=*', 'https://tool.example.com/item?other=1', false],
    ['https://tool.example.com/item', 'https://tool.example.com/item?id=42', false],
    ['https://tool.example.com/item', 'https://tool.example.com/item#details', true],
    ['https://tool.example.com/*/item/*', 'https://tool.example.com/queue/hate/item/MQ-1', true],
    ['https://tool.example.com/a.b/*', 'https://tool.example.com/aXb/1', false],
    ['https://tool.example.com/(x)+/*', 'https://tool.example.com/(x)+/1', true],
    // inputs that are not URLs or patterns
    ['https://tool.example.com/*', 'not a url', false],
    ['not a pattern', 'https://tool.example.com/', false],
  ])('%s vs %s → %s', (pattern, url, matches) => {
    expect(matchesPattern(pattern, url)).toBe(matches);
  });
});

describe('originPatternOf', () => {
  it.each([
    ['https://tool.example.com/review/*', 'https://tool.example.com/*'],
    ['http://127.0.0.1:8080/queue/*', 'http://127.0.0.1/*'],
    ['*://*.example.com/x', '*://*.example.com/*'],
    ['nonsense', null],
  ])('%s → %s', (pattern, origin) => {
    expect(originPatternOf(pattern)).toBe(origin);
  });
});
