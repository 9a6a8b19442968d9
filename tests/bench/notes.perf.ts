/**
 * Issue 6 §6: inline notes on a big single-page tool. 50 notes on an item of a 5,000-element page
 * (tests/bench/fixtures/notes-spa.html, served under LabelDesk's demo profile):
 * - re-anchoring after the app renders the item again (same text, new nodes: the MutationObserver path, debounced
 *   by REANCHOR_DEBOUNCE_MS) and after the app swaps to the item from another one (the worker sends the item's
 *   notes, which are anchored at once); target: under 50 ms;
 * - what Loupe's observers and re-anchoring cost a page that mutates every frame (a ticking clock and a live
 *   counter, 60 times a second); target: under 2 % of main-thread time. The page's renderer main thread is traced
 *   (DevTools protocol `Tracing`, tests/bench/trace.ts) over TICK_WINDOW_MS, and the CPU time (`tdur`) of the
 *   content script's own work is summed and divided by the window's wall time. Its own work is:
 *   - every call into its isolated world (`v8.callFunction` in the world V8 names after the extension, or a
 *     `FunctionCall` of a function in one of its files, content-scripts/*.js or the injected notes bundle,
 *     page-notes.js): mutation-observer callbacks (the item watcher's and the notes' observers), the timer that
 *     re-checks the anchors (and re-anchors when they moved), frame callbacks, resize observers, listeners. Work
 *     these run synchronously is inside them: style or layout they force, a garbage collection they trigger;
 *   - the rest of each microtask checkpoint that ran one of those calls: the checkpoint is where mutation records
 *     are delivered, and where the promise continuations and `queueMicrotask` callbacks of the content script run,
 *     which V8 does not trace one by one. A checkpoint may run the page's own microtasks too, so this part is an
 *     upper bound; without Loupe, the same page's checkpoints are reported beside it (this page queues none).
 *   Not attributable, and not counted: what the page's own mutations cost the engine because observers exist
 *   (queuing mutation records happens inside the page's script), live ranges kept up to date as the DOM changes,
 *   the browser restyling and painting the highlights each frame (measured apart, below), and garbage collections
 *   that run outside the content script's calls to collect what it allocated (V8's heap is shared by both worlds).
 *   Tracing adds its own cost to every traced call, the page's and Loupe's alike.
 *   Beside it, the same for the item watcher alone (Loupe on an item without notes), and two whole-thread
 *   differences between pages traced one after the other, for context: the browser painting the same 50
 *   highlights registered by the page itself (no Loupe), and all that Loupe with 50 notes adds (its code, its
 *   highlights' painting, its panel's iframe). On this shared 2-core machine those differences move by several
 *   points from round to round (their spread is recorded), which is why the target is checked on the traced figure.
 *
 * The content script sets no performance mark around its anchoring pass, so the pass is timed from the page: a
 * main-world loop of MessageChannel tasks watches the page's CSS highlight registry (which the content script
 * fills); the pass is one task on the same thread, so it shows as the gap between the last loop turn that saw the
 * old highlights and the first that saw all 50 on the new nodes. That gap can also hold a rendering update that
 * fell between the two turns, so it is an upper bound. Wall time from the swap to the highlights is reported too.
 *
 * Notes are written raw into the extension's `notes` table (shaped by lib/schemas/note.ts and checked against
 * it here), their targets computed from the text the page renders, as lib/notes/text-index.ts indexes it.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { REANCHOR_DEBOUNCE_MS, REANCHOR_MAX_WAIT_MS } from '../../lib/content/page-notes';
import { noteSchema, type Note } from '../../lib/schemas';
import { launchWithExtension, waitForPanel, type ExtensionBrowser } from '../e2e/harness';
import { importDemoSettings } from '../e2e/settings';
import { median, recordBench, round, type Figure } from './results';
import {
  byStart,
  contentScriptAttribution,
  isOwnSlice,
  outermost,
  pageMainThread,
  readTrace,
  sum,
  TRACE_CATEGORIES,
  within,
  type Attribution,
} from './trace';

const NOTES = 50;
const RUNS = 9;
const TICK_ROUNDS = 3;
const TICK_WINDOW_MS = 5_000;
const NOTED_ITEM = 'LD-9001';
const OTHER_ITEM = 'LD-9002';
const UNNOTED_ITEM = 'LD-9003';
const FIXTURE = new URL('./fixtures/notes-spa.html', import.meta.url);

let browser: ExtensionBrowser;
let server: Server;
let origin: string;

/** The app under LabelDesk's profile (`http://127.0.0.1/labeldesk/*`), or on a path no profile matches. */
const withLoupe = (itemId: string, query = '') => `${origin}/labeldesk/bench/${itemId}${query}`;
const withoutLoupe = (itemId: string, query = '') => `${origin}/bench-plain/${itemId}${query}`;

async function startServer(): Promise<void> {
  const html = await readFile(FIXTURE, 'utf8');
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://bench.invalid').pathname;
    if (path.startsWith('/labeldesk/bench/') || path.startsWith('/bench-plain/')) {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(html);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface PageShape {
  elements: number;
  textNodes: number;
  quotes: Array<{ exact: string; prefix: string; suffix: string; start: number; end: number }>;
}

/**
 * Reads the page's text the way lib/notes/text-index.ts does (every non-empty text node under <body>, in
 * document order; the fixture has no script, style or form text in its body, and ASCII only, so UTF-16 offsets
 * are code points) and picks NOTES four-word quotes spread over the thread, with 32 characters of context.
 */
async function readPageShape(page: Page, count: number): Promise<PageShape> {
  return page.evaluate((count) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let text = '';
    let textNodes = 0;
    const starts = new Map<Node, number>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const data = (node as Text).data;
      if (data.length === 0) continue;
      starts.set(node, text.length);
      text += data;
      textNodes += 1;
    }
    const bodies = [...document.querySelectorAll('.thread p')];
    const stride = Math.floor(bodies.length / count);
    const quotes = [];
    for (let k = 0; k < count; k += 1) {
      const node = bodies[Math.floor(stride / 2) + k * stride]!.firstChild as Text;
      const words = node.data.split(' ');
      const exact = words.slice(2, 6).join(' ');
      const start = starts.get(node)! + words.slice(0, 2).join(' ').length + 1;
      const end = start + exact.length;
      if (text.slice(start, end) !== exact) throw new Error('the quote is not where it was computed');
      quotes.push({ exact, prefix: text.slice(Math.max(0, start - 32), start), suffix: text.slice(end, end + 32), start, end });
    }
    return { elements: document.body.getElementsByTagName('*').length, textNodes, quotes };
  }, count);
}

function makeNotes(shape: PageShape, itemId: string, now: number): Note[] {
  return shape.quotes.map((quote, k) =>
    noteSchema.parse({
      id: crypto.randomUUID(),
      rev: 1,
      createdAt: now + k,
      updatedAt: now + k,
      deleted: false,
      siteId: 'labeldesk',
      itemId,
      itemUrl: withLoupe(itemId),
      authorId: 'qa-maria',
      target: {
        kind: 'text',
        quote: { type: 'TextQuoteSelector', exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix },
        position: { type: 'TextPositionSelector', start: quote.start, end: quote.end },
      },
      body: `Note ${k + 1}: this phrase is what the policy is about; read the thread around it before labeling.`,
      errorTag: 'wrong-policy',
    }),
  );
}

/** Writes notes raw into the extension's `notes` table, as a pull from the team's receiver would have left them. */
async function storeNotes(notes: readonly Note[]): Promise<void> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${browser.extensionId}/manifest.json`);
    await page.evaluate(async (notes) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('loupe');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction('notes', 'readwrite');
      for (const note of notes) tx.objectStore('notes').put(note);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, notes);
  } finally {
    await page.close();
  }
}

/** How many ranges Loupe's highlights hold, and whether they are exactly `expected` on connected nodes. */
function highlightState(page: Page, expected: readonly string[]): Promise<{ ranges: number; current: boolean }> {
  return page.evaluate((expected) => {
    const want = new Set(expected);
    let ranges = 0;
    let current = true;
    CSS.highlights.forEach((highlight, name) => {
      if (!name.startsWith('loupe-note')) return;
      highlight.forEach((range) => {
        ranges += 1;
        const r = range as Range;
        if (!r.startContainer.isConnected || !want.has(r.toString())) current = false;
      });
    });
    return { ranges, current: current && ranges === want.size };
  }, expected);
}

async function waitForHighlights(page: Page, expected: readonly string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await highlightState(page, expected);
    if (expected.length === 0 ? state.ranges === 0 : state.current) return;
    if (Date.now() > deadline) throw new Error(`highlights never settled (${state.ranges} ranges, expected ${expected.length})`);
    await page.waitForTimeout(50);
  }
}

interface SwapTiming {
  /** The app's own render of the item (synchronous), the page's cost without Loupe. */
  appMs: number;
  /** From the start of the swap to all the notes highlighted on the new nodes. */
  wallMs: number;
  /** The content script's anchoring task, seen as a gap in the page's own task loop (upper bound). */
  passMs: number;
}

/** Swaps (or re-renders) in the page and times, from the page, until every note is highlighted again. */
function timeSwap(page: Page, swap: { to: string | null }, expected: readonly string[]): Promise<SwapTiming> {
  return page.evaluate(
    ({ to, expected }) =>
      new Promise<SwapTiming>((resolve, reject) => {
        const want = new Set(expected);
        const current = () => {
          let ranges = 0;
          let ok = true;
          CSS.highlights.forEach((highlight, name) => {
            if (!name.startsWith('loupe-note')) return;
            highlight.forEach((range) => {
              ranges += 1;
              const r = range as Range;
              if (!r.startContainer.isConnected || !want.has(r.toString())) ok = false;
            });
          });
          return ok && ranges === want.size;
        };
        const app = (window as unknown as { loupeBench: { rerender(): void; swapTo(id: string): void } }).loupeBench;
        const started = performance.now();
        if (to === null) app.rerender();
        else app.swapTo(to);
        const rendered = performance.now();
        const loop = new MessageChannel();
        let lastStale = rendered;
        loop.port1.onmessage = () => {
          const now = performance.now();
          if (current()) {
            loop.port1.close();
            resolve({ appMs: rendered - started, wallMs: now - started, passMs: now - lastStale });
            return;
          }
          if (now - started > 10_000) {
            loop.port1.close();
            reject(new Error('the notes were not highlighted again within 10 s'));
            return;
          }
          lastStale = now;
          loop.port2.postMessage(null);
        };
        loop.port2.postMessage(null);
      }),
    { to: swap.to, expected },
  );
}

/** The page (main world) highlights the quotes itself, styled as lib/content/note-layer.ts styles notes. */
async function highlightAsThePage(page: Page, quotes: readonly string[]): Promise<void> {
  const registered = await page.evaluate((quotes) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('::highlight(page-notes) { background-color: rgb(255 191 0 / .35); text-decoration: underline 2px #e69f00; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    const highlight = new Highlight();
    for (const paragraph of document.querySelectorAll('.thread p')) {
      const node = paragraph.firstChild as Text;
      for (const quote of quotes) {
        const at = node.data.indexOf(quote);
        if (at < 0) continue;
        const range = new Range();
        range.setStart(node, at);
        range.setEnd(node, at + quote.length);
        highlight.add(range);
      }
    }
    CSS.highlights.set('page-notes', highlight);
    return highlight.size;
  }, quotes);
  if (registered !== quotes.length) throw new Error(`the page highlighted ${registered} quotes, expected ${quotes.length}`);
}

/**
 * One traced window of the page's renderer main thread. CPU time (`tdur`) throughout: another benchmark shares this
 * machine, and waiting for a core is not the page's cost.
 */
interface TracedWindow {
  /** From the first top-level task on the thread to the end of the last, ms. */
  wallMs: number;
  /** Every top-level task on the thread, CPU ms: the page's busy time, whoever's work it is. */
  busyMs: number;
  /** Calls into the content script's world (its observers, timers, frame callbacks, listeners), CPU ms. */
  slicesMs: number;
  /** The rest of the microtask checkpoints that ran one of those calls (delivering mutation records), CPU ms. */
  deliveryMs: number;
  /** Of slicesMs, the calls whose function is in each of the extension's scripts (by file name). */
  byScript: Record<string, number>;
  /** Every microtask checkpoint on the thread, CPU ms: without Loupe, all the page's own. */
  checkpointsMs: number;
  calls: number;
  /** The page's own animation frames (its ticking clock runs once a frame). */
  frames: number;
}

/**
 * Traces the page's main thread for TICK_WINDOW_MS and attributes its time. The wait is in Node, not a poll of the
 * page, which would run script on the thread being measured.
 */
async function traceWindow(page: Page, ours: Attribution): Promise<TracedWindow> {
  const session = await browser.context.newCDPSession(page);
  try {
    await session.send('Tracing.start', {
      transferMode: 'ReturnAsStream',
      traceConfig: { includedCategories: TRACE_CATEGORIES, recordMode: 'recordAsMuchAsPossible' },
    });
    await new Promise((resolve) => setTimeout(resolve, TICK_WINDOW_MS));
    const events = await readTrace(session);
    const { pid, tid } = pageMainThread(events, page.url());
    const onThread = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X').sort(byStart);
    const tasks = outermost(onThread.filter((e) => e.name === 'RunTask'));
    if (tasks.length === 0) throw new Error('the trace holds no task of the page');
    const first = tasks[0]!;
    const last = tasks.at(-1)!;
    const slices = outermost(onThread.filter((e) => isOwnSlice(e, ours)));
    const checkpoints = outermost(onThread.filter((e) => e.name === 'RunMicrotasks'));
    const delivering = checkpoints.filter((checkpoint) => slices.some((slice) => within(slice, checkpoint)));
    const calls = onThread.filter((e) => e.name === 'FunctionCall');
    const byScript: Record<string, number> = {};
    for (const slice of slices) {
      // The slice's first FunctionCall names the script; a world entry with none (a bare microtask) is "unnamed".
      const url = calls.find((call) => within(call, slice) && call.args?.data?.url !== undefined)?.args?.data?.url;
      const script = url && ours.scriptUrls.includes(url) ? url.slice(url.lastIndexOf('/') + 1) : 'unnamed';
      byScript[script] = (byScript[script] ?? 0) + (slice.tdur ?? 0) / 1000;
    }
    return {
      wallMs: (last.ts + (last.dur ?? 0) - first.ts) / 1000,
      busyMs: sum(tasks, 'tdur'),
      slicesMs: sum(slices, 'tdur'),
      deliveryMs: sum(delivering, 'tdur') - sum(slices.filter((slice) => delivering.some((c) => within(slice, c))), 'tdur'),
      byScript,
      checkpointsMs: sum(checkpoints, 'tdur'),
      calls: slices.length,
      frames: onThread.filter((e) => e.name === 'FireAnimationFrame').length,
    };
  } finally {
    await session.detach();
  }
}

beforeAll(async () => {
  await startServer();
  browser = await launchWithExtension();
  await importDemoSettings(browser);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('inline notes', () => {
  it('re-anchors 50 notes on a 5,000-element page after a swap, and costs little on a page that never stops changing', async () => {
    const figures: Figure[] = [];

    // Targets from the page as rendered without Loupe; the same app renders the same text under Loupe's profile.
    const plain = await browser.context.newPage();
    await plain.goto(withoutLoupe(NOTED_ITEM));
    const shape = await readPageShape(plain, NOTES);
    await plain.close();
    await storeNotes(makeNotes(shape, NOTED_ITEM, Date.now()));
    const quotes = shape.quotes.map((q) => q.exact);

    const page = await browser.context.newPage();
    await page.goto(withLoupe(NOTED_ITEM));
    await waitForPanel(page);
    await waitForHighlights(page, quotes);

    // The app renders the item again: the observer sees it, waits out the debounce, anchors.
    await timeSwap(page, { to: null }, quotes); // warm-up
    const rerenders: SwapTiming[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      await page.waitForTimeout(REANCHOR_DEBOUNCE_MS * 3);
      rerenders.push(await timeSwap(page, { to: null }, quotes));
    }

    // The app swaps from another item to the noted one: the worker sends its notes, anchored at once.
    const swaps: SwapTiming[] = [];
    for (let run = 0; run <= RUNS; run += 1) {
      await page.evaluate((id) => (window as unknown as { loupeBench: { swapTo(id: string): void } }).loupeBench.swapTo(id), OTHER_ITEM);
      await waitForHighlights(page, []);
      await page.waitForTimeout(REANCHOR_DEBOUNCE_MS * 2);
      const timing = await timeSwap(page, { to: NOTED_ITEM }, quotes);
      if (run > 0) swaps.push(timing); // the first is a warm-up
    }
    await page.close();

    const size = `${NOTES} notes, ${shape.elements.toLocaleString('en-US')}-element page (${shape.textNodes.toLocaleString('en-US')} text nodes)`;
    const rerenderPass = median(rerenders.map((t) => t.passMs));
    figures.push({
      name: `re-anchoring pass after the app re-renders the item, ${size}`,
      value: round(rerenderPass),
      unit: 'ms',
      runs: RUNS,
      baseline: { name: 'the app\u2019s own re-render', value: round(median(rerenders.map((t) => t.appMs))) },
      target: '< 50 ms',
      met: rerenderPass < 50,
      extra: {
        // Swap to highlights back: the debounce (REANCHOR_DEBOUNCE_MS, doubled after each pass slower than 16 ms,
        // capped by REANCHOR_MAX_WAIT_MS) plus the pass. What the analyst sees: notes gone for this long.
        wallMs: round(median(rerenders.map((t) => t.wallMs))),
        maxPassMs: round(Math.max(...rerenders.map((t) => t.passMs))),
      },
    });
    const swapPass = median(swaps.map((t) => t.passMs));
    figures.push({
      name: `anchoring pass after an SPA swap to the noted item, ${size}`,
      value: round(swapPass),
      unit: 'ms',
      runs: RUNS,
      baseline: { name: 'the app\u2019s own swap render', value: round(median(swaps.map((t) => t.appMs))) },
      target: '< 50 ms',
      met: swapPass < 50,
      extra: {
        // Swap to highlights: the item read, the worker's round trip for the item's notes, then the pass.
        wallMs: round(median(swaps.map((t) => t.wallMs))),
        maxPassMs: round(Math.max(...swaps.map((t) => t.passMs))),
      },
    });

    // A page that mutates every frame, four ways, one page at a time (pages of one site share a renderer), each
    // traced over TICK_WINDOW_MS. "highlights": no Loupe, but the page itself registers the same 50 ranges in a CSS
    // highlight styled as Loupe's are, which shows what the browser spends painting highlights, whoever asks.
    const ours = await contentScriptAttribution(browser.extensionId);
    const modes = [
      { key: 'none', url: withoutLoupe(NOTED_ITEM, '?tick=1'), expected: null },
      { key: 'highlights', url: withoutLoupe(NOTED_ITEM, '?tick=1'), expected: null },
      { key: 'loupe', url: withLoupe(UNNOTED_ITEM, '?tick=1'), expected: [] as string[] },
      { key: 'notes', url: withLoupe(NOTED_ITEM, '?tick=1'), expected: quotes },
    ] as const;
    const windows: Record<(typeof modes)[number]['key'], TracedWindow[]> = { none: [], highlights: [], loupe: [], notes: [] };
    for (let pass = 0; pass < TICK_ROUNDS; pass += 1) {
      for (const mode of modes) {
        const ticking = await browser.context.newPage();
        await ticking.goto(mode.url);
        if (mode.expected !== null) {
          await waitForPanel(ticking);
          await waitForHighlights(ticking, mode.expected);
        }
        if (mode.key === 'highlights') await highlightAsThePage(ticking, quotes);
        // Past the first anchoring and the longest the debounce can put a pass off: the page's steady state.
        await ticking.waitForTimeout(REANCHOR_MAX_WAIT_MS + 500);
        const traced = await traceWindow(ticking, ours);
        if ((traced.slicesMs > 0) !== (mode.expected !== null)) {
          throw new Error(`${mode.key}: ${traced.slicesMs} ms attributed to Loupe on a page where it ${mode.expected === null ? 'does not run' : 'runs'}`);
        }
        windows[mode.key].push(traced);
        await ticking.close();
      }
    }
    const pct = (ms: number, w: TracedWindow) => (ms / w.wallMs) * 100;
    const ownPct = (w: TracedWindow) => pct(w.slicesMs + w.deliveryMs, w);
    const busyPct = (w: TracedWindow) => pct(w.busyMs, w);
    const med = (key: keyof typeof windows, pick: (w: TracedWindow) => number, digits = 2) => round(median(windows[key].map(pick)), digits);
    const spread = (key: keyof typeof windows, pick: (w: TracedWindow) => number) => ({
      minPct: round(Math.min(...windows[key].map(pick)), 2),
      maxPct: round(Math.max(...windows[key].map(pick)), 2),
    });
    const scriptPct = (w: TracedWindow, script: string) => pct(w.byScript[script] ?? 0, w);
    const windowLabel = `${TICK_WINDOW_MS / 1000} s traced windows, CPU time on the page's main thread ÷ wall time`;

    const observers = med('notes', ownPct);
    figures.push({
      name: `page mutating every frame, ${NOTES} notes: Loupe's observers and re-anchoring, its own code (${windowLabel})`,
      value: observers,
      unit: '%',
      runs: TICK_ROUNDS,
      baseline: { name: 'the page\u2019s main thread busy, all work, %', value: med('notes', busyPct) },
      target: '< 2 % of main-thread time',
      met: observers < 2,
      extra: {
        ...spread('notes', ownPct),
        notesBundlePct: med('notes', (w) => scriptPct(w, 'page-notes.js')),
        contentScriptPct: med('notes', (w) => scriptPct(w, 'labeling.js')),
        mutationDeliveryPct: med('notes', (w) => pct(w.deliveryMs, w)),
        shareOfBusyPct: med('notes', (w) => (100 * (w.slicesMs + w.deliveryMs)) / w.busyMs),
        callsPerSecond: med('notes', (w) => (w.calls / w.wallMs) * 1000, 0),
        // The page mutates once a frame, and a loaded machine drops frames: the cost per frame does not move with that.
        ownMicrosecondsPerFrame: med('notes', (w) => ((w.slicesMs + w.deliveryMs) * 1000) / w.frames, 0),
        framesPerSecond: med('notes', (w) => (w.frames / w.wallMs) * 1000, 0),
        pageCheckpointsWithoutLoupePct: med('none', (w) => pct(w.checkpointsMs, w)),
      },
    });
    const watcher = med('loupe', ownPct);
    figures.push({
      name: `page mutating every frame, no notes on the item: Loupe's item watcher, its own code (${windowLabel})`,
      value: watcher,
      unit: '%',
      runs: TICK_ROUNDS,
      baseline: { name: 'the page\u2019s main thread busy, all work, %', value: med('loupe', busyPct) },
      target: '< 2 % of main-thread time',
      met: watcher < 2,
      extra: {
        ...spread('loupe', ownPct),
        mutationDeliveryPct: med('loupe', (w) => pct(w.deliveryMs, w)),
        callsPerSecond: med('loupe', (w) => (w.calls / w.wallMs) * 1000, 0),
        ownMicrosecondsPerFrame: med('loupe', (w) => ((w.slicesMs + w.deliveryMs) * 1000) / w.frames, 0),
        framesPerSecond: med('loupe', (w) => (w.frames / w.wallMs) * 1000, 0),
      },
    });
    // Differences of whole-thread busy shares between pages traced one after the other: on this shared machine they
    // move by several points from round to round, hence the spread beside them and no target.
    const added = (key: keyof typeof windows, over: keyof typeof windows) => windows[key].map((w, i) => busyPct(w) - busyPct(windows[over][i]!));
    const addedFigure = (key: keyof typeof windows, over: keyof typeof windows) => {
      const differences = added(key, over);
      return {
        value: round(median(differences), 2),
        minPct: round(Math.min(...differences), 2),
        maxPct: round(Math.max(...differences), 2),
      };
    };
    const painting = addedFigure('highlights', 'none');
    figures.push({
      name: `page mutating every frame: the browser painting 50 CSS highlights the page registered itself, no Loupe (busy with − without, per round)`,
      value: painting.value,
      unit: '%',
      runs: TICK_ROUNDS,
      baseline: { name: 'page busy without highlights, %', value: med('none', busyPct) },
      extra: { minPct: painting.minPct, maxPct: painting.maxPct, busyWithHighlightsPct: med('highlights', busyPct) },
    });
    const total = addedFigure('notes', 'none');
    figures.push({
      name: `page mutating every frame, ${NOTES} notes: all Loupe adds, highlight painting included (busy with Loupe − without, per round)`,
      value: total.value,
      unit: '%',
      runs: TICK_ROUNDS,
      baseline: { name: 'page busy without Loupe, %', value: med('none', busyPct) },
      extra: { minPct: total.minPct, maxPct: total.maxPct, busyWithNotesPct: med('notes', busyPct) },
    });

    const versionPage = await browser.context.newPage();
    const version = await (await browser.context.newCDPSession(versionPage)).send('Browser.getVersion');
    await versionPage.close();
    recordBench({
      bench: 'notes',
      measuredAt: new Date().toISOString(),
      machine: { cpus: cpus().length, chromium: version.product },
      figures,
    });
  }, 600_000);
});
