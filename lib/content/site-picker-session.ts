/**
 * Site setup on the labeling page (issue 7): the script the worker injects when setup starts
 * (entrypoints/site-setup.content.ts), so none of this is in the labeling script every page parses. It docks the
 * setup UI's frame, runs the picker when the UI asks, describes what was picked (a robust selector, its text, the
 * attributes that may hold the value), and reads the profile being built on the live page, as often as the UI asks.
 * Like the labeling script it holds no React, no zod and no storage: the worker checks everything it sends.
 */
import { proposeSelectorDetails } from '../dom/robust-selector';
import type { ContentReplies, ContentRequest, WorkerToContent } from '../protocol';
import type { ItemField } from '../schemas';
import { checkFieldSource } from '../setup/field-check';
import { collapseWhitespace } from '../setup/propose';
import { SETUP_FRAME_HASH, SETUP_TOKEN_MESSAGE } from '../setup/setup-constants';
import type { FieldChecks, PickedElement, PickerWords } from '../setup/setup-protocol';
import { contentRuntime, sendToWorker, type ContentRuntime } from './extension-api';
import { elementLabel } from './note-capture';
import { startSitePicker, type SitePicker } from './site-picker';
import { mountSetupFrame, type SetupFrame } from './site-picker-frame';
import { SETUP_FRAME_ATTRIBUTE } from './site-picker-host';

/** What the picker's banner asks for, per field, when the setup UI sent no words (English, as `setup.picker.prompt.*`). */
export const PICK_PROMPTS: Record<ItemField, string> = {
  itemId: 'Click the element that shows the item id.',
  labelerId: 'Click the element that shows who labeled the item.',
  labelerDecision: 'Click the element that shows the labeler’s decision.',
  queue: 'Click the element that shows the queue.',
};

const MAX_TEXT = 500;
const MAX_ATTRIBUTES = 12;
const MAX_ATTRIBUTE_VALUE = 200;

/**
 * Attributes that can hold a field's value more cleanly than the text: `data-*` (`data-labeler="lab-ana"`), the
 * accessible name, a title, a form control's value, a time's machine-readable date.
 */
function valueAttributes(element: Element): PickedElement['attributes'] {
  const found: PickedElement['attributes'] = [];
  for (const { name, value } of Array.from(element.attributes)) {
    const useful = name.startsWith('data-') || ['aria-label', 'title', 'value', 'datetime', 'alt', 'content'].includes(name);
    const shown = collapseWhitespace(value);
    if (!useful || !shown || shown.length > MAX_ATTRIBUTE_VALUE || name.length > 100) continue;
    found.push({ name, value: shown });
    if (found.length === MAX_ATTRIBUTES) break;
  }
  return found;
}

/** What the setup UI is told about a picked element: words, never markup. */
export function describePicked(element: Element, doc: Document): PickedElement {
  const { selector, basis } = proposeSelectorDetails(element, doc);
  return {
    selector: selector.slice(0, 500),
    basis,
    description: elementLabel(element).slice(0, 200),
    text: collapseWhitespace(element.textContent ?? '').slice(0, MAX_TEXT),
    attributes: valueAttributes(element),
  };
}

/** Reads every source the UI sent on the page as it is now. */
export function checkSources(sources: Partial<Record<ItemField, Parameters<typeof checkFieldSource>[0]>>, url: string, doc: Document): FieldChecks {
  const checks: FieldChecks = {};
  for (const [field, source] of Object.entries(sources) as Array<[ItemField, Parameters<typeof checkFieldSource>[0] | undefined]>) {
    if (source) checks[field] = checkFieldSource(source, url, doc);
  }
  return checks;
}

function isWorkerMessage(value: unknown): value is WorkerToContent {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string' && value.type.startsWith('worker/setup');
}

export interface SiteSetupEnv {
  doc: Document;
  win: Window;
  runtime: ContentRuntime;
}

/** Injected twice into one page (setup started again), the newer run replaces the older one in this world. */
const CURRENT = '__loupeSiteSetup';
type World = { [CURRENT]?: AbortController };

export function startSiteSetup(pageSignal: AbortSignal, env: SiteSetupEnv = { doc: document, win: window, runtime: contentRuntime() }): void {
  const world = globalThis as World;
  world[CURRENT]?.abort();
  const controller = new AbortController();
  world[CURRENT] = controller;
  pageSignal.addEventListener('abort', () => controller.abort(), { once: true });
  run(controller, env).catch((error: unknown) => {
    controller.abort();
    console.warn('Loupe could not start site setup on this page:', error instanceof Error ? error.message : error);
  });
}

async function run(controller: AbortController, { doc, win, runtime }: SiteSetupEnv): Promise<void> {
  const { signal } = controller;
  const ask = <K extends keyof ContentReplies>(message: ContentRequest<K>) => sendToWorker(message, runtime) as Promise<ContentReplies[K]>;
  const send = <K extends keyof ContentReplies>(message: ContentRequest<K>) =>
    void ask(message).catch((error: unknown) => console.warn('Loupe:', error instanceof Error ? error.message : error));

  const panel = doc.querySelector(`iframe[data-loupe-panel]:not([${SETUP_FRAME_ATTRIBUTE}])`) !== null;
  const hello = await ask<'content/setup-hello'>({ type: 'content/setup-hello', url: win.location.href, title: doc.title.slice(0, 300), panel });
  if (!hello.ok || signal.aborted) return;

  const frame: SetupFrame = mountSetupFrame({
    doc,
    url: `${runtime.getURL('/panel.html')}${SETUP_FRAME_HASH}`,
    token: hello.token,
    tokenMessage: SETUP_TOKEN_MESSAGE,
    title: hello.title,
  });
  let picker: SitePicker | undefined;
  /** The element picked last for each field: where keyboard users start when they pick that field again. */
  const lastPicked = new Map<ItemField, Element>();

  function stopPicking() {
    picker?.stop();
    picker = undefined;
  }

  function startPicking(field: ItemField, words: PickerWords | undefined) {
    stopPicking();
    // Keys typed in the setup frame never reach the page: the picker's Tab, arrows, Enter and Esc need the page.
    frame.releaseFocus();
    picker = startSitePicker({
      doc,
      win,
      signal,
      prompt: words?.prompt ?? PICK_PROMPTS[field],
      ...(words ? { words } : {}),
      initial: lastPicked.get(field) ?? null,
      onPick: (element) => {
        picker = undefined;
        lastPicked.set(field, element);
        send<'content/setup-picked'>({ type: 'content/setup-picked', pick: { outcome: 'picked', field, element: describePicked(element, doc) } });
        frame.focus();
      },
      onCancel: () => {
        picker = undefined;
        send<'content/setup-picked'>({ type: 'content/setup-picked', pick: { outcome: 'cancelled', field } });
        frame.focus();
      },
    });
  }

  const onWorkerMessage = (message: unknown) => {
    if (!isWorkerMessage(message) || signal.aborted) return;
    switch (message.type) {
      case 'worker/setup-pick':
        if (message.field) startPicking(message.field, message.words);
        else stopPicking();
        break;
      case 'worker/setup-check':
        send<'content/setup-checked'>({ type: 'content/setup-checked', id: message.id, checks: checkSources(message.sources, win.location.href, doc) });
        break;
      case 'worker/setup-end':
        controller.abort();
        break;
    }
  };
  runtime.onMessage.addListener(onWorkerMessage);

  signal.addEventListener(
    'abort',
    () => {
      runtime.onMessage.removeListener(onWorkerMessage);
      stopPicking();
      frame.remove();
    },
    { once: true },
  );
}
