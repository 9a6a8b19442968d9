/**
 * The notes code loads only when the page has work for it (issue 6): a list without notes asks for nothing; the
 * first note, or annotate mode, asks the worker once, and what came meanwhile is applied when the bundle is in.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NOTES_UNAVAILABLE, startLazyPageNotes } from '@/lib/content/lazy-page-notes';
import { injectedNotesBundle, provideNotesBundle, type NotesBundle } from '@/lib/content/notes-bundle';
import { startPageNotes, type PageNotes } from '@/lib/content/page-notes';
import type { PageNote } from '@/lib/protocol';

const note: PageNote = {
  id: '00000000-0000-4000-8000-000000000001',
  target: { kind: 'text', quote: { type: 'TextQuoteSelector', exact: 'never have been let in' } },
  authorId: 'mentor-mo',
  body: 'The exclusion clause.',
  replies: 0,
  acknowledged: false,
};

afterEach(() => {
  document.body.replaceChildren();
  for (const element of [...document.documentElement.children]) if (element.localName.startsWith('loupe-')) element.remove();
});

/** A bundle that records what reached it, in order. */
function recordingBundle() {
  const calls: string[] = [];
  let capturing = false;
  const bundle: NotesBundle = {
    startPageNotes: () => {
      calls.push('start');
      const notes: PageNotes = {
        setNotes: (itemKey, list) => void calls.push(`notes ${itemKey} ${list.length}`),
        startCapture: () => {
          capturing = true;
          calls.push('capture');
        },
        stopCapture: () => {
          capturing = false;
          calls.push('stop');
        },
        showNote: (id) => void calls.push(`show ${id}`),
        get capturing() {
          return capturing;
        },
      };
      return notes;
    },
  };
  return { bundle, calls };
}

/** A worker whose injection runs `bundle` in `world` when released (or fails). */
function fakeWorker(world: object, bundle: NotesBundle) {
  let release: (() => void) | undefined;
  let fail: ((error: Error) => void) | undefined;
  const injectBundle = vi.fn(
    () =>
      new Promise<void>((resolve, reject) => {
        release = () => {
          provideNotesBundle(bundle, world);
          resolve();
        };
        fail = reject;
      }),
  );
  return { injectBundle, release: () => release?.(), fail: (error: Error) => fail?.(error) };
}

function start(world: object, injectBundle: () => Promise<unknown>, signal = new AbortController().signal) {
  const onAnchors = vi.fn();
  const onCaptured = vi.fn();
  const returnFocus = vi.fn();
  const notes = startLazyPageNotes({
    injectBundle,
    world,
    doc: document,
    win: window,
    signal,
    onAnchors,
    onCaptured,
    onNoteFocused: () => undefined,
    returnFocus,
  });
  return { notes, onAnchors, onCaptured, returnFocus };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('loading the notes code on demand', () => {
  it('asks for nothing while the items have no notes', async () => {
    const world = {};
    const { bundle, calls } = recordingBundle();
    const worker = fakeWorker(world, bundle);
    const { notes, onAnchors } = start(world, worker.injectBundle);
    notes.setNotes('modqueue:MQ-1', []);
    notes.setNotes('modqueue:MQ-2', []);
    notes.showNote(null);
    await settle();
    expect(worker.injectBundle).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
    expect(onAnchors).not.toHaveBeenCalled();
    expect(injectedNotesBundle(world)).toBeUndefined();
  });

  it('asks once for the first note, and hands the bundle the latest list once it is in', async () => {
    const world = {};
    const { bundle, calls } = recordingBundle();
    const worker = fakeWorker(world, bundle);
    const { notes } = start(world, worker.injectBundle);
    notes.setNotes('modqueue:MQ-1', [note]);
    notes.setNotes('modqueue:MQ-2', [note, { ...note, id: '00000000-0000-4000-8000-000000000002' }]);
    notes.showNote(note.id);
    expect(worker.injectBundle).toHaveBeenCalledTimes(1);
    worker.release();
    await settle();
    expect(calls).toEqual(['start', 'notes modqueue:MQ-2 2', `show ${note.id}`]);
    // From now on straight through, with no second injection.
    notes.setNotes('modqueue:MQ-3', []);
    expect(calls.at(-1)).toBe('notes modqueue:MQ-3 0');
    expect(worker.injectBundle).toHaveBeenCalledTimes(1);
  });

  it('loads for annotate mode, gives focus back to the page at once, and keeps the page keys paused meanwhile', async () => {
    const world = {};
    const { bundle, calls } = recordingBundle();
    const worker = fakeWorker(world, bundle);
    const { notes, returnFocus } = start(world, worker.injectBundle);
    notes.startCapture();
    expect(returnFocus).toHaveBeenCalledTimes(1);
    expect(notes.capturing).toBe(true);
    worker.release();
    await settle();
    expect(calls).toEqual(['start', 'capture']);
    expect(notes.capturing).toBe(true);
    notes.stopCapture();
    expect(notes.capturing).toBe(false);
  });

  it('drops annotate mode cancelled before the bundle came in', async () => {
    const world = {};
    const { bundle, calls } = recordingBundle();
    const worker = fakeWorker(world, bundle);
    const { notes } = start(world, worker.injectBundle);
    notes.startCapture();
    notes.stopCapture();
    expect(notes.capturing).toBe(false);
    worker.release();
    await settle();
    expect(calls).toEqual(['start']);
  });

  it('tells the panel annotate mode failed when the bundle could not be injected, and tries again later', async () => {
    const world = {};
    const { bundle, calls } = recordingBundle();
    const worker = fakeWorker(world, bundle);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { notes, onCaptured } = start(world, worker.injectBundle);
    notes.startCapture();
    worker.fail(new Error('Loupe refused a message: the content script did not say hello first'));
    await settle();
    expect(onCaptured).toHaveBeenCalledWith(null, NOTES_UNAVAILABLE);
    expect(notes.capturing).toBe(false);
    expect(warn).toHaveBeenCalled();
    notes.setNotes('modqueue:MQ-1', [note]);
    expect(worker.injectBundle).toHaveBeenCalledTimes(2);
    worker.release();
    await settle();
    expect(calls).toEqual(['start', 'notes modqueue:MQ-1 1']);
    warn.mockRestore();
  });

  it('uses a bundle already in this world (the session restarted in the same page) without asking again', async () => {
    const world = {};
    const { bundle, calls } = recordingBundle();
    provideNotesBundle(bundle, world);
    const injectBundle = vi.fn(async () => undefined);
    const { notes } = start(world, injectBundle);
    notes.setNotes('modqueue:MQ-1', [note]);
    await settle();
    expect(injectBundle).not.toHaveBeenCalled();
    expect(calls).toEqual(['start', 'notes modqueue:MQ-1 1']);
  });

  it('starts nothing when the page session ended while the bundle was on its way', async () => {
    const world = {};
    const { bundle, calls } = recordingBundle();
    const worker = fakeWorker(world, bundle);
    const session = new AbortController();
    const { notes } = start(world, worker.injectBundle, session.signal);
    notes.setNotes('modqueue:MQ-1', [note]);
    session.abort();
    worker.release();
    await settle();
    expect(calls).toEqual([]);
  });

  it('anchors the item\u2019s notes through the real notes code once it is injected', async () => {
    const paragraph = document.createElement('p');
    paragraph.textContent = 'This account should never have been let in.';
    document.body.append(paragraph);
    const world = {};
    const worker = fakeWorker(world, { startPageNotes });
    const session = new AbortController();
    const { notes, onAnchors } = start(world, worker.injectBundle, session.signal);
    notes.setNotes('modqueue:MQ-1', [note]);
    expect(document.documentElement.querySelector(':scope > loupe-notes')).toBeNull();
    worker.release();
    await settle();
    expect(onAnchors).toHaveBeenCalledWith('modqueue:MQ-1', [note.id], []);
    expect(document.documentElement.querySelector(':scope > loupe-notes')).not.toBeNull();
    session.abort();
    expect(document.documentElement.querySelector(':scope > loupe-notes')).toBeNull();
  });
});
