/**
 * Driving verdicts the way an analyst gives them, for tests/bench/verdict.perf.ts and verdict-ab.perf.ts: LabelDesk's
 * generated queue (`?bulk=`), one verdict per item from the page's own key, each acknowledged ("Saved" in the panel)
 * before the tool's "]" moves to the next item, so every verdict is a first audit of its item, as most of an
 * analyst's day is. How each verdict is timed, without Playwright's polling in any figure, is told at `instrument`
 * and `clockOffset`.
 */
import type { Frame, Page } from 'playwright-core';
import { waitForPanel, type ExtensionBrowser } from '../e2e/harness';

const FIRST_TASK = 5000;
const VERDICT_KEY = '1';
const NEXT_ITEM_KEY = ']';
const ACK_TIMEOUT_MS = 10_000;
const PINGS = 40;

interface HostBench {
  /** `timeStamp` of every verdict keydown the host page received. */
  keys: number[];
}

interface PanelBench {
  /** When the status line turned to "Saving…": the panel has the key and has sent the verdict to the worker. */
  starts: number[];
  /** When the status line turned to "Saved", and the next animation frame after it. */
  acks: number[];
  ackFrames: number[];
  waitForAcks(count: number, timeoutMs: number): Promise<void>;
}

/** Init script for every document of the tab: the host page keeps key times, the panel keeps acknowledgements. */
function instrument(verdictKey: string): void {
  if (location.protocol !== 'chrome-extension:') {
    const host: HostBench = { keys: [] };
    (window as unknown as { loupeBench: HostBench }).loupeBench = host;
    // Registered before the content script's own capturing listener, which stops the event: this one runs first.
    window.addEventListener(
      'keydown',
      (event) => {
        if (event.key === verdictKey && !event.repeat) host.keys.push(event.timeStamp);
      },
      { capture: true },
    );
    return;
  }
  if (!location.pathname.endsWith('/panel.html')) return;
  const waiting: Array<{ count: number; resolve(): void }> = [];
  const panel: PanelBench = {
    starts: [],
    acks: [],
    ackFrames: [],
    waitForAcks: (count, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (panel.acks.length >= count) return resolve();
        const timer = setTimeout(() => reject(new Error(`no "Saved" number ${count} in the panel after ${timeoutMs} ms`)), timeoutMs);
        waiting.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
  };
  (window as unknown as { loupeBench: PanelBench }).loupeBench = panel;
  let last = '';
  new MutationObserver(() => {
    const text = document.querySelector('.loupe-status')?.textContent ?? '';
    if (text.startsWith('Saving') && !last.startsWith('Saving')) panel.starts.push(performance.now());
    if (text === 'Saved' && last !== 'Saved') {
      panel.acks.push(performance.now());
      requestAnimationFrame(() => panel.ackFrames.push(performance.now()));
      for (const waiter of waiting.filter((w) => panel.acks.length >= w.count)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    last = text;
  }).observe(document, { childList: true, subtree: true, characterData: true });
  // Clock pings from the host page (see clockOffset).
  window.addEventListener('message', (event) => {
    const data: unknown = event.data;
    if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'loupe-bench/ping') {
      (event.source as Window | null)?.postMessage({ type: 'loupe-bench/pong', at: performance.timeOrigin + performance.now() }, '*');
    }
  });
}

/**
 * The panel's clock minus the host's (ms), from `pings` postMessage round trips host → panel → host: at the
 * round trip that took least, the panel's reading is taken as the midpoint of the host's two.
 */
async function clockOffset(page: Page, pings: number): Promise<{ offset: number; roundTrip: number }> {
  return page.evaluate(async (pings) => {
    const frame = document.querySelector<HTMLIFrameElement>('iframe[data-loupe-panel]');
    if (!frame?.contentWindow) throw new Error('no panel frame to ping');
    const target = frame.contentWindow;
    let best = { offset: 0, roundTrip: Number.POSITIVE_INFINITY };
    for (let i = 0; i < pings; i += 1) {
      const sent = performance.timeOrigin + performance.now();
      const at = await new Promise<number>((resolve) => {
        const onPong = (event: MessageEvent) => {
          const data: unknown = event.data;
          if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'loupe-bench/pong' && 'at' in data) {
            window.removeEventListener('message', onPong);
            resolve(data.at as number);
          }
        };
        window.addEventListener('message', onPong);
        target.postMessage({ type: 'loupe-bench/ping' }, '*');
      });
      const received = performance.timeOrigin + performance.now();
      if (received - sent < best.roundTrip) best = { offset: at - (sent + received) / 2, roundTrip: received - sent };
    }
    return best;
  }, pings);
}

export interface VerdictQueue {
  page: Page;
  panel: Frame;
  /** Verdicts given so far; the next one goes to item FIRST_TASK + given. */
  given: number;
  /** The panel's clock minus the host's, read when the queue opened. */
  before: { offset: number; roundTrip: number };
}

/** Opens a queue of `items` items in `browser` with both documents instrumented, and waits for the panel. */
export async function openVerdictQueue(browser: ExtensionBrowser, origin: string, items: number): Promise<VerdictQueue> {
  const page = await browser.context.newPage();
  await page.addInitScript(instrument, VERDICT_KEY);
  await page.goto(`${origin}/labeldesk/task/LD-${FIRST_TASK}?bulk=${items}`, { waitUntil: 'load' });
  await waitForPanel(page);
  const panel = page.frames().find((f) => f.url().endsWith('/panel.html'));
  if (!panel) throw new Error('the labeling page has no Loupe panel frame');
  return { page, panel, given: 0, before: await clockOffset(page, PINGS) };
}

/** Gives `count` verdicts, one per item, each acknowledged before moving to the next item. */
export async function giveVerdicts(queue: VerdictQueue, count: number): Promise<void> {
  const { page, panel } = queue;
  const summary = page.frameLocator('iframe[data-loupe-panel]').getByLabel('Item on this page');
  for (let n = 0; n < count; n += 1) {
    const i = queue.given;
    // Not timed: the panel must show this item before its key, or the verdict would go to the one before.
    await summary.getByText(`LD-${FIRST_TASK + i}`, { exact: true }).waitFor({ timeout: ACK_TIMEOUT_MS });
    await page.keyboard.press(VERDICT_KEY);
    await panel.evaluate(
      ([count, timeout]) => (window as unknown as { loupeBench: PanelBench }).loupeBench.waitForAcks(count, timeout),
      [i + 1, ACK_TIMEOUT_MS] as const,
    );
    queue.given += 1;
    await page.keyboard.press(NEXT_ITEM_KEY);
  }
}

export interface VerdictTimes {
  /** Key on the page → "Saved" committed to the panel's DOM, ms, per verdict after the first `skip`. */
  saved: number[];
  /** Key → the frame that paints "Saved". */
  painted: number[];
  /** Key → "Saving…" in the panel: the panel has the key and has sent the verdict. */
  relayed: number[];
  /** "Saving…" → "Saved": the save's round trip as the panel sees it. */
  saving: number[];
  offset: number;
  drift: number;
  pingRoundTrip: number;
}

/** Reads every verdict's times off both documents (closing the page), leaving out the first `skip`. */
export async function readVerdictTimes(queue: VerdictQueue, skip: number): Promise<VerdictTimes> {
  const { page, panel, given, before } = queue;
  const after = await clockOffset(page, PINGS);
  const keys = await page.evaluate(() => (window as unknown as { loupeBench: HostBench }).loupeBench.keys);
  const { starts, acks, ackFrames, origin: panelOrigin } = await panel.evaluate(() => {
    const bench = (window as unknown as { loupeBench: PanelBench }).loupeBench;
    return { starts: bench.starts, acks: bench.acks, ackFrames: bench.ackFrames, origin: performance.timeOrigin };
  });
  const hostOrigin = await page.evaluate(() => performance.timeOrigin);
  await page.close();
  if (keys.length !== given || starts.length !== given || acks.length !== given) {
    throw new Error(`expected ${given} verdict keys, "Saving…" and "Saved", saw ${keys.length}, ${starts.length} and ${acks.length}`);
  }
  // The offset read before and after, averaged: the two clocks may drift apart a little over the run.
  const offset = (before.offset + after.offset) / 2;
  const latency = (panelTimes: number[]) =>
    panelTimes.slice(skip).map((at, i) => panelOrigin + at - offset - (hostOrigin + keys[skip + i]!));
  return {
    saved: latency(acks),
    painted: latency(ackFrames),
    relayed: latency(starts),
    saving: acks.slice(skip).map((at, i) => at - starts[skip + i]!),
    offset,
    drift: after.offset - before.offset,
    pingRoundTrip: Math.max(before.roundTrip, after.roundTrip),
  };
}
