import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELDESK_TASKS, MODQUEUE_ITEMS } from '../fixtures/sites/catalog.mjs';
import { startFixtureServer, type FixtureServer } from '../fixtures/sites/server.mjs';
import {
  detectedItemSchema,
  settingsBundleSchema,
  siteProfileSchema,
  type SiteProfile,
  type SiteProfileInput,
} from '../../lib/schemas';
import common from '../../lib/i18n/catalogs/en/common';
import setup from '../../lib/i18n/catalogs/en/setup';
import { loadTranslator } from '../../lib/i18n/load';
import type { MessageKey } from '../../lib/i18n/messages';
import { readProblemSchema } from '../../lib/setup/setup-protocol';
import { describeReadProblem } from '../../lib/setup/setup-text';
import { extractItem, findSiteProfile, itemKey, readField, sameItem } from '../../lib/site-profile';

const PAGES = join(import.meta.dirname, '../fixtures/pages');

function parseHtml(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

/** node:http rather than fetch: the happy-dom environment's fetch applies page-like CORS rules. */
function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function loadPage(name: string): Document {
  return parseHtml(readFileSync(join(PAGES, 'extraction', name), 'utf8'));
}

/** Profiles go through the schema, as they do when imported, so defaults (group 1) apply. */
function profile(input: SiteProfileInput): SiteProfile {
  return siteProfileSchema.parse(input);
}

const modQueuePage = loadPage('modqueue-item.html');
const labelDeskPage = loadPage('labeldesk-task.html');
const unassignedPage = loadPage('labeldesk-task-unassigned.html');

const MODQUEUE_URL = 'https://modqueue.example.com/modqueue/queue/hate-speech/item/MQ-1002?session=s3cr3t&tab=history&lang=km#comment-3';
const LABELDESK_URL = 'https://labeldesk.example.org/labeldesk/task/LD-2004?view=split#top';

const modQueue = profile({
  id: 'modqueue',
  name: 'ModQueue',
  enabled: true,
  match: ['https://modqueue.example.com/modqueue/*'],
  fields: {
    itemId: { from: 'url', pattern: '/item/([A-Z]+-\\d+)' },
    labelerId: { from: 'dom', selector: '.mq-labeler', attribute: 'data-labeler' },
    labelerDecision: { from: 'dom', selector: '[data-testid="labeler-decision"]' },
    queue: { from: 'dom', selector: '[data-testid="queue-name"]', attribute: 'data-queue' },
  },
  keepParams: ['lang', 'tab'],
});

const labelDesk = profile({
  id: 'labeldesk',
  name: 'LabelDesk',
  enabled: true,
  match: ['https://labeldesk.example.org/labeldesk/task/*'],
  fields: {
    itemId: { from: 'dom', selector: '.ld-task-title', pattern: 'Task #(\\S+)' },
    labelerId: { from: 'dom', selector: '.ld-meta [data-field="labeler"]' },
    labelerDecision: { from: 'dom', selector: '.ld-decision input:checked', attribute: 'value' },
    queue: { from: 'dom', selector: '.ld-queue-name' },
  },
});

describe('readField', () => {
  it.each([
    ['url regex, group 1', { from: 'url', pattern: '/item/([A-Z]+-\\d+)', group: 1 }, 'MQ-1002'],
    ['url regex, group 0 is the whole match', { from: 'url', pattern: '/queue/[a-z-]+', group: 0 }, '/queue/hate-speech'],
    ['url regex, second group', { from: 'url', pattern: '/queue/([^/]+)/item/([^/?#]+)', group: 2 }, 'MQ-1002'],
    ['dom text', { from: 'dom', selector: '[data-testid="item-id"]', group: 1 }, 'MQ-1002'],
    ['dom attribute', { from: 'dom', selector: '.mq-labeler', attribute: 'data-labeler', group: 1 }, 'lab-ben'],
    ['dom text over nested spans, whitespace collapsed', { from: 'dom', selector: '.mq-chip', group: 1 }, 'Approve – No violation'],
    ['dom text narrowed by a regex', { from: 'dom', selector: '.mq-item h1', pattern: 'Task #(\\S+)', group: 1 }, 'MQ-1002'],
    ['dom text narrowed by a regex, group 0', { from: 'dom', selector: '.mq-item h1', pattern: 'MQ-\\d+', group: 0 }, 'MQ-1002'],
    ['dom attribute narrowed by a regex', { from: 'dom', selector: 'section[data-item-id]', attribute: 'data-item-id', pattern: '\\d+', group: 0 }, '1002'],
    ['Khmer text with emoji kept intact', { from: 'dom', selector: '[data-testid="item-text"]', group: 1 }, 'សួស្តី! ថ្ងៃនេះអាកាសធាតុល្អណាស់ 🌤️ ជួបគ្នានៅផ្សារនៅល្ងាចនេះ។'],
  ] as const)('%s', (_name, source, expected) => {
    expect(readField(source, MODQUEUE_URL, modQueuePage)).toEqual({ ok: true, value: expected });
  });

  // The content script reports a code and its values (it carries no catalogs); the panel words it, English here.
  it.each([
    ['url without a match', { from: 'url', pattern: '/task/(\\d+)', group: 1 }, 'url-no-match', 'the URL does not match //task/(\\d+)/'],
    ['missing element', { from: 'dom', selector: '.no-such-thing', group: 1 }, 'no-match', 'no element matches ".no-such-thing" on this page'],
    ['invalid selector', { from: 'dom', selector: 'div[', group: 1 }, 'invalid-selector', 'the selector "div[" is not valid CSS'],
    ['missing attribute', { from: 'dom', selector: '.mq-labeler', attribute: 'data-labeler-id', group: 1 }, 'no-attribute', 'the element has no "data-labeler-id" attribute'],
    ['empty attribute', { from: 'dom', selector: '.mq-note', attribute: 'data-note', group: 1 }, 'empty-attribute', 'the "data-note" attribute is empty'],
    ['whitespace-only text', { from: 'dom', selector: '.mq-note', group: 1 }, 'empty-element', 'the element ".mq-note" is empty'],
    ['text without a match', { from: 'dom', selector: '.mq-labeler', pattern: '^MQ-(\\d+)$', group: 1 }, 'text-no-match', 'the text "lab-ben" does not match /^MQ-(\\d+)$/'],
    ['group beyond the pattern', { from: 'dom', selector: '.mq-labeler', pattern: 'lab-(\\w+)', group: 2 }, 'no-group', '/lab-(\\w+)/ has no group 2; use a group between 0 and 1'],
    ['optional group that matched nothing', { from: 'url', pattern: '/item/(X)?MQ', group: 1 }, 'url-group-empty', 'group 1 of //item/(X)?MQ/ is empty in the URL'],
    ['optional group that matched nothing in text', { from: 'dom', selector: '.mq-labeler', pattern: 'lab-(X)?', group: 1 }, 'text-group-empty', 'group 1 of /lab-(X)?/ is empty in the text "lab-ben"'],
  ] as const)('%s is reported', (_name, source, code, english) => {
    const read = readField(source, MODQUEUE_URL, modQueuePage);
    if (read.ok) throw new Error(`read ${read.value}`);
    expect(read.problem.code).toBe(code);
    expect(describeReadProblem(read.problem)).toBe(english);
    // What crosses to the worker passes the protocol's schema as it is.
    expect(readProblemSchema.parse(read.problem)).toEqual(read.problem);
  });

  it('words a problem in the reader\u2019s language, with the page\u2019s text as it is', async () => {
    const vi = await loadTranslator<'common' | 'setup', MessageKey<'common' | 'setup'>>('vi', { common, setup });
    expect(describeReadProblem({ code: 'no-match', selector: '.mq-labeler' }, vi.t)).toBe('không có phần tử nào khớp ".mq-labeler" trên trang này');
    expect(describeReadProblem({ code: 'no-group', pattern: 'a(b)', group: 2, last: 1 }, vi.t)).toBe('/a(b)/ không có nhóm 2; hãy dùng nhóm từ 0 đến 1');
  });

  it('quotes long page text shortened in a problem', () => {
    const read = readField({ from: 'dom', selector: '[data-testid="item-text"]', pattern: 'Task #(\\d+)', group: 1 }, MODQUEUE_URL, modQueuePage);
    if (read.ok) throw new Error('read a value');
    const english = describeReadProblem(read.problem);
    expect(english).toMatch(/^the text "សួស្តី! .+…" does not match \/Task #\(\\d\+\)\/$/u);
    expect(english.length).toBeLessThan(120);
  });

  it('caps values at 256 UTF-16 units without splitting an emoji', () => {
    const doc = new DOMParser().parseFromString(`<p id="long">${'a'.repeat(255)}😡tail</p>`, 'text/html');
    const read = readField({ from: 'dom', selector: '#long', group: 1 }, MODQUEUE_URL, doc);
    expect(read).toEqual({ ok: true, value: 'a'.repeat(255) });
  });

  it('decodes percent-encoded ids read from the URL', () => {
    const url = 'https://modqueue.example.com/modqueue/queue/km/item/%E1%9E%80-42';
    expect(readField({ from: 'url', pattern: '/item/([^/?#]+)', group: 1 }, url, modQueuePage)).toEqual({ ok: true, value: 'ក-42' });
  });
});

describe('extractItem', () => {
  it('reads every field of a server-rendered page and keeps only the listed query parameters', () => {
    const reading = extractItem(modQueue, MODQUEUE_URL, modQueuePage);
    expect(reading).toEqual({
      status: 'found',
      problems: [],
      item: {
        siteId: 'modqueue',
        itemId: 'MQ-1002',
        // "tab" and "lang" kept in the page's order, the session token and the fragment dropped.
        itemUrl: 'https://modqueue.example.com/modqueue/queue/hate-speech/item/MQ-1002?tab=history&lang=km',
        labelerId: 'lab-ben',
        labelerDecision: 'Approve – No violation',
        queue: 'hate-speech',
      },
    });
    if (reading.status === 'found') expect(detectedItemSchema.safeParse(reading.item).success).toBe(true);
  });

  it('reads a single-page app task with a regex over text, a checked input and non-breaking spaces', () => {
    expect(extractItem(labelDesk, LABELDESK_URL, labelDeskPage)).toEqual({
      status: 'found',
      problems: [],
      item: {
        siteId: 'labeldesk',
        itemId: 'LD-2004',
        itemUrl: 'https://labeldesk.example.org/labeldesk/task/LD-2004',
        labelerId: 'lab-chai',
        labelerDecision: 'violating',
        queue: 'Hate speech · TH',
      },
    });
  });

  it('still finds the item when an optional field cannot be read, and says which field', () => {
    expect(extractItem(labelDesk, LABELDESK_URL, unassignedPage)).toEqual({
      status: 'found',
      problems: [{ field: 'labelerId', problem: { code: 'no-match', selector: '.ld-meta [data-field="labeler"]' } }],
      item: {
        siteId: 'labeldesk',
        itemId: 'LD-2004',
        itemUrl: 'https://labeldesk.example.org/labeldesk/task/LD-2004',
        labelerDecision: 'violating',
        queue: 'Hate speech · TH',
      },
    });
  });

  it('still finds the item when an optional field has an invalid selector', () => {
    const broken = profile({ ...labelDesk, fields: { ...labelDesk.fields, queue: { from: 'dom', selector: '.ld-meta >> span' } } });
    const reading = extractItem(broken, LABELDESK_URL, labelDeskPage);
    expect(reading.status).toBe('found');
    expect(reading.problems).toEqual([{ field: 'queue', problem: { code: 'invalid-selector', selector: '.ld-meta >> span' } }]);
    if (reading.status === 'found') expect(reading.item).not.toHaveProperty('queue');
  });

  it('reports a page that is not http(s) as the item id\u2019s problem', () => {
    const reading = extractItem(modQueue, 'file:///modqueue/queue/q/item/MQ-7', modQueuePage);
    expect(reading).toEqual({ status: 'missing', problems: [{ field: 'itemId', problem: { code: 'not-http', url: 'file:///modqueue/queue/q/item/MQ-7' } }] });
    expect(describeReadProblem(reading.problems[0]!.problem)).toBe('the page address "file:///modqueue/queue/q/item/MQ-7" is not an http(s) URL');
  });

  it('reports a missing item, with every field problem, when the item id cannot be read', () => {
    // The ModQueue profile on a LabelDesk page: the URL has no /item/ and the ModQueue elements are absent.
    expect(extractItem(modQueue, LABELDESK_URL, labelDeskPage)).toEqual({
      status: 'missing',
      problems: [
        { field: 'itemId', problem: { code: 'url-no-match', pattern: '/item/([A-Z]+-\\d+)' } },
        { field: 'labelerId', problem: { code: 'no-match', selector: '.mq-labeler' } },
        { field: 'labelerDecision', problem: { code: 'no-match', selector: '[data-testid="labeler-decision"]' } },
        { field: 'queue', problem: { code: 'no-match', selector: '[data-testid="queue-name"]' } },
      ],
    });
  });

  it.each([
    ['no query, fragment dropped', 'https://modqueue.example.com/modqueue/queue/q/item/MQ-7#x', 'https://modqueue.example.com/modqueue/queue/q/item/MQ-7'],
    ['unlisted parameters dropped', 'https://modqueue.example.com/modqueue/queue/q/item/MQ-7?session=1&utm_source=mail', 'https://modqueue.example.com/modqueue/queue/q/item/MQ-7'],
    ['repeated kept parameter kept twice, in order', 'https://modqueue.example.com/modqueue/queue/q/item/MQ-7?lang=km&x=1&tab=a&lang=th', 'https://modqueue.example.com/modqueue/queue/q/item/MQ-7?lang=km&tab=a&lang=th'],
    ['port kept in the origin', 'https://modqueue.example.com:8443/modqueue/queue/q/item/MQ-7?tab=b#c', 'https://modqueue.example.com:8443/modqueue/queue/q/item/MQ-7?tab=b'],
  ])('itemUrl: %s', (_name, url, itemUrl) => {
    const reading = extractItem(modQueue, url, modQueuePage);
    expect(reading.status).toBe('found');
    if (reading.status === 'found') expect(reading.item.itemUrl).toBe(itemUrl);
  });
});

describe('findSiteProfile', () => {
  const disabledModQueue = profile({ ...modQueue, id: 'modqueue-old', enabled: false });
  const everywhere = profile({ ...labelDesk, id: 'catch-all', match: ['*://*/*'] });

  it.each([
    ['the matching enabled profile', [modQueue, labelDesk], MODQUEUE_URL, 'modqueue'],
    ['the second profile when only it matches', [modQueue, labelDesk], LABELDESK_URL, 'labeldesk'],
    ['skips a disabled profile that matches first', [disabledModQueue, modQueue], MODQUEUE_URL, 'modqueue'],
    ['the first of two matching profiles', [modQueue, everywhere], MODQUEUE_URL, 'modqueue'],
    ['none when only a disabled profile matches', [disabledModQueue, labelDesk], MODQUEUE_URL, undefined],
    ['none for another site', [modQueue, labelDesk], 'https://example.com/modqueue/item/MQ-1', undefined],
    ['none for an unparsable URL', [modQueue, everywhere], 'not a url', undefined],
  ])('%s', (_name, profiles, url, expectedId) => {
    expect(findSiteProfile(profiles, url)?.id).toBe(expectedId);
  });
});

describe('item identity', () => {
  it.each([
    [{ siteId: 'modqueue', itemId: 'MQ-1' }, { siteId: 'modqueue', itemId: 'MQ-1' }, true],
    [{ siteId: 'modqueue', itemId: 'MQ-1' }, { siteId: 'modqueue', itemId: 'MQ-2' }, false],
    [{ siteId: 'modqueue', itemId: 'MQ-1' }, { siteId: 'labeldesk', itemId: 'MQ-1' }, false],
  ])('sameItem(%o, %o) is %s', (a, b, same) => {
    expect(sameItem(a, b)).toBe(same);
    expect(itemKey(a) === itemKey(b)).toBe(same);
  });

  it('keys an item by site and id', () => {
    expect(itemKey({ siteId: 'labeldesk', itemId: 'LD-2004' })).toBe('labeldesk:LD-2004');
  });
});

describe('the demo settings on the demo labeling tools', () => {
  const bundle = settingsBundleSchema.parse(JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/sites/demo-settings.json'), 'utf8')));
  const profiles = bundle.settings.siteProfiles;
  let server: FixtureServer;
  // The server picks a free port, so the profiles must not depend on it; saved pages get this stand-in origin.
  const origin = 'http://127.0.0.1:41234';

  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());

  it.each(MODQUEUE_ITEMS.map((item) => [item.id, item] as const))('ModQueue %s reads as the catalog says', async (_id, item) => {
    const path = `/modqueue/queue/${item.queue}/item/${item.id}`;
    const page = parseHtml(await fetchText(`${server.origin}${path}`));
    const url = `${server.origin}${path}?from=queue#comment`;
    const found = findSiteProfile(profiles, url);
    expect(found?.id).toBe('modqueue');
    if (!found) return;
    expect(extractItem(found, url, page)).toEqual({
      status: 'found',
      problems: [],
      item: {
        siteId: 'modqueue',
        itemId: item.id,
        itemUrl: `${server.origin}${path}`,
        labelerId: item.labelerId,
        labelerDecision: item.decision,
        queue: item.queue,
      },
    });
  });

  // Saved by the e2e suite from the running fixture server (LabelDesk renders its tasks in the browser).
  const savedPages = ['modqueue-item.html', 'labeldesk-item.html', 'labeldesk-missing-labeler.html'];
  describe.runIf(savedPages.every((name) => existsSync(join(PAGES, name))))('saved pages', () => {
    const saved = (name: string) => parseHtml(readFileSync(join(PAGES, name), 'utf8'));

    it('reads the saved ModQueue item', () => {
      const page = saved('modqueue-item.html');
      const item = MODQUEUE_ITEMS.find((candidate) => page.querySelector(`[data-item-id="${candidate.id}"]`));
      expect(item, 'the saved page shows a catalog item').toBeDefined();
      if (!item) return;
      const url = `${origin}/modqueue/queue/${item.queue}/item/${item.id}`;
      const reading = extractItem(findSiteProfile(profiles, url) ?? profiles[0]!, url, page);
      expect(reading).toMatchObject({ status: 'found', problems: [], item: { itemId: item.id, labelerId: item.labelerId, labelerDecision: item.decision } });
    });

    it.each([
      ['labeldesk-item.html', false],
      ['labeldesk-missing-labeler.html', true],
    ])('reads the saved LabelDesk task in %s', (name, labelerMissing) => {
      const page = saved(name);
      const task = LABELDESK_TASKS.find((candidate) => page.querySelector('[data-testid="task-id"]')?.textContent?.trim() === candidate.id);
      expect(task, 'the saved page shows a catalog task').toBeDefined();
      if (!task) return;
      const url = `${origin}/labeldesk/task/${task.id}`;
      const profile = findSiteProfile(profiles, url);
      expect(profile?.id).toBe('labeldesk');
      if (!profile) return;
      const reading = extractItem(profile, url, page);
      expect(reading.status).toBe('found');
      expect(reading.problems.map((problem) => problem.field)).toEqual(labelerMissing ? ['labelerId'] : []);
      if (reading.status !== 'found') return;
      expect(reading.item).toMatchObject({ itemId: task.id, labelerDecision: task.decision });
      expect(reading.item.labelerId).toBe(labelerMissing ? undefined : task.labelerId);
    });
  });
});

describe('modules the content script imports', () => {
  // The content script must stay small (DESIGN.md): these modules may use schema types, never zod at run time.
  it.each(['site-profile.ts', 'hotkeys.ts', 'time.ts', 'match-pattern.ts'])('lib/%s imports no zod at run time', (file) => {
    const source = readFileSync(join(import.meta.dirname, '../../lib', file), 'utf8');
    const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gmu)].map((match) => match[1]);
    expect(runtimeImports.filter((module) => module === 'zod' || module?.includes('schemas'))).toEqual([]);
  });
});
