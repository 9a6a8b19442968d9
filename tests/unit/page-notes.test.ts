import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPageNotes, REANCHOR_MAX_WAIT_MS } from '@/lib/content/page-notes';
import * as anchoring from '@/lib/notes/anchoring';
import type { PageNote } from '@/lib/protocol';

vi.mock('@/lib/notes/anchoring', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/notes/anchoring')>();
  return { ...actual, anchorNotes: vi.fn(actual.anchorNotes) };
});

const note: PageNote = {
  id: '00000000-0000-4000-8000-000000000001',
  target: { kind: 'text', quote: { type: 'TextQuoteSelector', exact: 'never have been let in' } },
  authorId: 'mentor-mo',
  body: 'The exclusion clause.',
  replies: 0,
  acknowledged: false,
};

afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

function paragraph(id: string, text: string): HTMLElement {
  const element = document.createElement(id === 'clock' ? 'span' : 'p');
  element.id = id;
  element.textContent = text;
  return element;
}

function start() {
  const controller = new AbortController();
  const onAnchors = vi.fn();
  const notes = startPageNotes({
    doc: document,
    win: window,
    signal: controller.signal,
    onAnchors,
    onCaptured: () => undefined,
    onNoteFocused: () => undefined,
    returnFocus: () => undefined,
  });
  return { notes, onAnchors, stop: () => controller.abort() };
}

const settle = () => vi.advanceTimersByTimeAsync(REANCHOR_MAX_WAIT_MS * 9);

describe('re-anchoring as the page changes', () => {
  it('skips the pass while every note is still where it was, and anchors again when its text is replaced', async () => {
    vi.useFakeTimers();
    document.body.replaceChildren(paragraph('post', 'They should never have been let in here.'), paragraph('clock', '10:00:00'));
    const { notes, onAnchors, stop } = start();
    notes.setNotes('modqueue:MQ-1', [note]);
    expect(onAnchors).toHaveBeenLastCalledWith('modqueue:MQ-1', [note.id], []);
    const passes = vi.mocked(anchoring.anchorNotes);
    const before = passes.mock.calls.length;

    // A clock ticking elsewhere on the page: no pass.
    for (let second = 1; second <= 5; second += 1) {
      document.getElementById('clock')!.textContent = `10:00:0${second}`;
      await settle();
    }
    expect(passes.mock.calls.length).toBe(before);

    // The app re-renders the post (same words, new nodes): the note anchors again.
    document.getElementById('post')!.replaceChildren(document.createTextNode('They should never have been let in here.'));
    await settle();
    expect(passes.mock.calls.length).toBe(before + 1);
    expect(onAnchors).toHaveBeenLastCalledWith('modqueue:MQ-1', [note.id], []);

    // The words go: the note is reported missing.
    document.getElementById('post')!.textContent = 'Removed by the author.';
    await settle();
    expect(onAnchors).toHaveBeenLastCalledWith('modqueue:MQ-1', [], [note.id]);
    stop();
  });

  it('keeps looking on every change while a note is missing, so a late render still anchors it', async () => {
    vi.useFakeTimers();
    document.body.replaceChildren(paragraph('post', 'Loading…'));
    const { notes, onAnchors, stop } = start();
    notes.setNotes('modqueue:MQ-1', [note]);
    expect(onAnchors).toHaveBeenLastCalledWith('modqueue:MQ-1', [], [note.id]);
    document.getElementById('post')!.textContent = 'They should never have been let in here.';
    await settle();
    expect(onAnchors).toHaveBeenLastCalledWith('modqueue:MQ-1', [note.id], []);
    stop();
  });
});
