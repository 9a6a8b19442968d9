/**
 * The thin layer on the labeling page (DESIGN.md): reads the item on screen, listens for Loupe's keys, shields
 * pictures where the analyst asked (issue 7), and mounts the panel iframe. No React, no Dexie, no zod: everything that matters happens in the worker and the panel.
 */
import type { ContentReplies, ContentRequest, WorkerToContent } from '../protocol';
import { formatHotkey, type PanelCommand } from '../hotkeys';
import { watchItem } from './item-watcher';
import { releaseEarlyCover, startMediaShield } from './media-shield';
import { MAX_PENDING_COMMANDS, mountPanelFrame, type PanelBoundCommand, type PanelFrame } from './panel-frame';
import { listenForPageHotkeys } from './page-hotkeys';
import { contentRuntime, sendToWorker } from './extension-api';
import { startLazyPageNotes } from './lazy-page-notes';
import { fillPageText } from './page-text';
import { isSitePicking } from './site-picker-host';

type ContentType = keyof ContentReplies;

function askWorker<K extends ContentType>(message: ContentRequest<K>): Promise<ContentReplies[K]> {
  return sendToWorker(message) as Promise<ContentReplies[K]>;
}

/** The worker's messages, checked by shape: only extension contexts can call `tabs.sendMessage`. */
function isWorkerMessage(value: unknown): value is WorkerToContent {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string' && value.type.startsWith('worker/');
}

/** Resolves once the page's `load` event has fired: an iframe inserted earlier delays it by ~80 ms (DESIGN.md). */
function afterLoad(win: Window, signal: AbortSignal): Promise<void> {
  if (win.document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => win.addEventListener('load', () => resolve(), { once: true, signal }));
}

async function run(signal: AbortSignal, restart: () => void): Promise<void> {
  const hello = await askWorker<'content/hello'>({ type: 'content/hello', url: location.href });
  if (!hello.enabled || signal.aborted) return;

  const send = <K extends Exclude<ContentType, 'content/hello'>>(message: ContentRequest<K>) =>
    askWorker<K>(message).catch((error: unknown) => {
      // The worker refused (site disabled meanwhile) or the extension was reloaded; the panel shows the state.
      console.warn('Loupe:', error instanceof Error ? error.message : error);
      return undefined;
    });

  const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
  // Before anything waits for the page's load: pictures are shielded as soon as the site's choice is known.
  const shield = startMediaShield({
    doc: document,
    win: window,
    signal,
    mode: hello.layout.media ?? 'shown',
    hint: fillPageText(hello.words.shieldHint, { key: formatHotkey(hello.hotkeys.revealMedia, isMac) }),
  });

  watchItem({
    profile: hello.profile,
    doc: document,
    win: window,
    signal,
    onReading: (reading, url) => {
      // Only a read item id counts as a new item: a tool re-rendering the same one passes through "missing".
      if (reading.status === 'found') shield.setItem(reading.item.itemId);
      void send<'content/item'>({ type: 'content/item', url, reading });
    },
  });

  let frame: PanelFrame | undefined = undefined;
  // Its code is injected by the worker the first time the item has notes or annotate mode starts (issue 6).
  const notes = startLazyPageNotes({
    injectBundle: () => askWorker<'content/load-notes'>({ type: 'content/load-notes' }),
    doc: document,
    win: window,
    signal,
    onAnchors: (itemKey, found, missing) => void send<'content/anchors'>({ type: 'content/anchors', itemKey, found, missing }),
    onCaptured: (target, problem) =>
      void send<'content/captured'>({ type: 'content/captured', target, ...(problem ? { problem } : {}) }),
    onNoteFocused: (noteId) => void send<'content/note-focused'>({ type: 'content/note-focused', noteId }),
    returnFocus: () => frame?.returnFocus(),
    words: hello.words,
  });
  // Keys stay on the page and reach the panel in order, straight through the frame's channel (keys pressed before
  // the panel is mounted wait for it); the panel asks for focus itself (worker/focus-panel) once it has applied a
  // key whose next input is typed in it.
  const beforeMount: PanelBoundCommand[] = [];
  const onCommand = (command: PanelCommand) => {
    // Revealing is the page's own business; turning the shield on or off is stored by the panel (the site's layout).
    if (command.kind === 'reveal-media') shield.toggleRevealAll();
    else if (frame) frame.sendCommand(command);
    else if (beforeMount.length < MAX_PENDING_COMMANDS) beforeMount.push(command);
  };
  listenForPageHotkeys({
    win: window,
    hotkeys: hello.hotkeys,
    tags: hello.tagHotkeys,
    isMac,
    onCommand,
    // Annotate mode, or site setup's picker (issue 7): Tab, arrows, Enter and Esc are theirs while they run.
    isPaused: () => notes.capturing || isSitePicking(document),
    isIdle: (command) => command.kind === 'reveal-media' && !shield.active,
    signal,
  });

  const onWorkerMessage = (message: unknown) => {
    if (!isWorkerMessage(message)) return;
    switch (message.type) {
      case 'worker/layout':
        frame?.applyLayout(message.layout);
        shield.setMode(message.layout.media ?? 'shown');
        break;
      case 'worker/return-focus':
        frame?.returnFocus();
        break;
      case 'worker/focus-panel':
        frame?.focusPanel();
        break;
      case 'worker/reload-config':
        restart();
        break;
      case 'worker/notes':
        notes.setNotes(message.itemKey, message.notes);
        break;
      case 'worker/capture':
        if (message.action === 'start') notes.startCapture();
        else notes.stopCapture();
        break;
      case 'worker/show-note':
        notes.showNote(message.noteId);
        break;
    }
  };
  const runtime = contentRuntime();
  runtime.onMessage.addListener(onWorkerMessage);
  signal.addEventListener('abort', () => runtime.onMessage.removeListener(onWorkerMessage), { once: true });

  await afterLoad(window, signal);
  if (signal.aborted) return;
  frame = mountPanelFrame({
    doc: document,
    panelUrl: runtime.getURL('/panel.html'),
    token: hello.panelToken,
    layout: hello.layout,
    title: hello.words.panelTitle,
  });
  const mounted = frame;
  signal.addEventListener('abort', () => mounted.remove(), { once: true });
  for (const command of beforeMount.splice(0)) mounted.sendCommand(command);
}

/**
 * Runs Loupe on this page until `pageSignal` aborts (navigation away, extension reloaded). When the worker says the
 * settings changed, everything is torn down and started again with the new site profile, or not at all.
 */
export function startLabelingSession(pageSignal: AbortSignal): void {
  let current: AbortController | undefined;
  const restart = () => {
    current?.abort();
    if (pageSignal.aborted) return;
    const controller = new AbortController();
    current = controller;
    pageSignal.addEventListener('abort', () => controller.abort(), { once: true });
    run(controller.signal, restart)
      .catch((error: unknown) => {
        // The worker refused or is unreachable; there is no panel yet to show it in, and the page must not break.
        console.warn('Loupe could not start on this page:', error instanceof Error ? error.message : error);
      })
      // However it ended (not an enabled site after all, refused, aborted), the early stylesheet must not stay:
      // with no shield of ours running, nothing could reveal what it covers. A no-op once the shield has started.
      .finally(() => releaseEarlyCover(document));
  };
  restart();
}

