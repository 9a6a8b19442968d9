/**
 * Reading a DevTools protocol trace (`Tracing` over a CDP session) for the benchmarks that attribute a host page's
 * main-thread time to Loupe's content script (tests/bench/content-script.perf.ts at load, tests/bench/notes.perf.ts
 * on a page that never stops mutating). Times in a trace are microseconds; what these helpers return is ms.
 *
 * The content script's slices are found three ways, any of which is enough: V8 names the isolated world a content
 * script (or a file the worker injects into it) runs in after the extension (`v8.run`, `v8.callFunction`); a
 * `FunctionCall` names the script of the function called; `ScriptInjection::InjectJs` names the extension.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { z } from 'zod';
import { TEST_EXTENSION_PATH } from '../e2e/harness';

/** The trace categories DevTools' Performance panel records, enough for tasks, script and paint. */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'toplevel',
  'blink.user_timing',
  '__metadata',
];

// Only the fields read here are kept; a field of an unexpected type is dropped rather than failing the whole trace,
// since Chromium's event arguments vary by version and by event.
const text = z.string().optional().catch(undefined);
const flag = z.boolean().optional().catch(undefined);
const number = z.number().optional().catch(undefined);

const traceEventSchema = z.object({
  name: z.string(),
  cat: text,
  ph: z.string(),
  pid: z.number(),
  tid: z.number(),
  /** Microseconds. */
  ts: z.number(),
  dur: number,
  /** Thread (CPU) time, microseconds. */
  tdur: number,
  args: z
    .object({
      /** A `thread_name` metadata event's name, e.g. CrRendererMain. */
      name: text,
      fileName: text,
      /** The V8 world a `v8.run` or `v8.callFunction` ran in: a content script's world is named after its extension. */
      worldName: text,
      chrome_extension_id: z.object({ extension_id: text }).optional().catch(undefined),
      data: z
        .object({
          url: text,
          functionName: text,
          documentLoaderURL: text,
          isOutermostMainFrame: flag,
          /** `TracingStartedInBrowser`: the frames of the traced page and the renderer process each runs in. */
          frames: z
            .array(z.object({ url: text, processId: number, isOutermostMainFrame: flag }))
            .optional()
            .catch(undefined),
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

export type TraceEvent = z.infer<typeof traceEventSchema>;

const traceSchema = z.union([z.array(traceEventSchema), z.object({ traceEvents: z.array(traceEventSchema) })]);

/** Whose slices of the page's main thread are the content script's. */
export interface Attribution {
  scriptUrls: readonly string[];
  /** The manifest's `name`: Chromium names the content script's isolated world after it. */
  worldName: string;
  extensionId: string;
}

export const byStart = (a: TraceEvent, b: TraceEvent) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0);

/** Keeps the events not nested in an earlier kept one (input sorted by byStart). */
export function outermost(events: readonly TraceEvent[]): TraceEvent[] {
  const kept: TraceEvent[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    if (event.ts >= end) {
      kept.push(event);
      end = event.ts + (event.dur ?? 0);
    }
  }
  return kept;
}

export const within = (inner: TraceEvent, outer: TraceEvent) => inner.ts >= outer.ts && inner.ts < outer.ts + (outer.dur ?? 0);

export const sum = (events: readonly TraceEvent[], field: 'dur' | 'tdur') => events.reduce((total, e) => total + (e[field] ?? 0), 0) / 1000;

/** True for a slice that runs the content script's code or sets it up. */
export function isOwnSlice(e: TraceEvent, ours: Attribution): boolean {
  const url = e.args?.data?.url ?? e.args?.fileName;
  return (
    (url !== undefined && ours.scriptUrls.includes(url)) ||
    e.args?.worldName === ours.worldName ||
    (e.name === 'ScriptInjection::InjectJs' && e.args?.chrome_extension_id?.extension_id === ours.extensionId)
  );
}

/**
 * The renderer main thread of the traced page, for a trace started after the page loaded (no navigation in it):
 * `TracingStartedInBrowser` names the process of the outermost main frame, whose `CrRendererMain` thread it is.
 */
export function pageMainThread(events: readonly TraceEvent[], pageUrl: string): { pid: number; tid: number } {
  const frames = events.find((e) => e.name === 'TracingStartedInBrowser')?.args?.data?.frames ?? [];
  const pid = frames.find((f) => f.isOutermostMainFrame === true && f.url === pageUrl)?.processId;
  if (pid === undefined) throw new Error(`the trace names no main frame at ${pageUrl}`);
  const thread = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain');
  if (!thread) throw new Error(`the trace has no renderer main thread in process ${pid}`);
  return { pid, tid: thread.tid };
}

export async function readTrace(session: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<string>((resolve, reject) => {
    session.once('Tracing.tracingComplete', ({ stream }) => (stream ? resolve(stream) : reject(new Error('the trace came without a stream'))));
  });
  await session.send('Tracing.end');
  const stream = await complete;
  const chunks: string[] = [];
  for (;;) {
    const chunk = await session.send('IO.read', { handle: stream, size: 1 << 20 });
    chunks.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data);
    if (chunk.eof) break;
  }
  await session.send('IO.close', { handle: stream });
  const parsed = traceSchema.parse(JSON.parse(chunks.join('')));
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/**
 * The extension's name as the browser shows it (V8 names the content script's world after it): the manifest gives
 * `__MSG_extName__`, resolved from the default locale's messages, as Chromium here (English only) resolves it.
 */
export async function extensionName(manifest: { name: string; default_locale?: string }): Promise<string> {
  const key = /^__MSG_(\w+)__$/.exec(manifest.name)?.[1];
  if (!key) return manifest.name;
  const path = join(TEST_EXTENSION_PATH, '_locales', manifest.default_locale ?? 'en', 'messages.json');
  const messages = JSON.parse(await readFile(path, 'utf8')) as Record<string, { message: string } | undefined>;
  const message = messages[key]?.message ?? messages[key.toLowerCase()]?.message;
  if (!message) throw new Error(`${path} has no ${key}`);
  return message;
}

/**
 * Who the built test extension's in-page code is: every script under content-scripts/ and the unlisted scripts at
 * the build's root (how WXT builds the worker's on-demand page scripts, such as the notes bundle), by URL.
 */
export async function contentScriptAttribution(extensionId: string): Promise<Attribution> {
  const manifest = z.object({ name: z.string(), default_locale: z.string().optional() }).parse(
    JSON.parse(await readFile(join(TEST_EXTENSION_PATH, 'manifest.json'), 'utf8')),
  );
  const declared = (await readdir(join(TEST_EXTENSION_PATH, 'content-scripts'))).map((name) => `content-scripts/${name}`);
  const unlisted = (await readdir(TEST_EXTENSION_PATH, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js') && entry.name !== 'background.js')
    .map((entry) => entry.name);
  return {
    scriptUrls: [...declared, ...unlisted].filter((path) => path.endsWith('.js')).map((path) => `chrome-extension://${extensionId}/${path}`),
    worldName: await extensionName(manifest),
    extensionId,
  };
}
