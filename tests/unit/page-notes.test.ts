import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPageNotes, REANCHOR_DEBOUNCE_MS, REANCHOR_MAX_WAIT_MS } from '@/lib/content/page-notes';
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

describe('when re-anchoring runs after the page changes', () => {
  const postText = 'They should never have been let in here.';
  const frameMs = 16;

  /** The app re-renders the post: same words in a new text node, so the note's range no longer holds them. */
  function rerenderPost(): void {
    document.getElementById('post')!.replaceChildren(document.createTextNode(postText));
  }

  /** Every `frameMs` from `from` to `to` (inclusive), as a page re-rendering every animation frame would. */
  function everyFrame(from: number, to: number): number[] {
    const times: number[] = [];
    for (let at = from; at <= to; at += frameMs) times.push(at);
    return times;
  }

  /**
   * Runs the fake clock 1 ms at a time for `durationMs`, re-rendering the post at each of `changesAt` (ms from
   * the start), and returns when (ms from the start) each anchoring pass ran. Timers due at a millisecond run
   * before that millisecond's change, which then reaches the observer when its microtask is flushed.
   */
  async function passTimes(changesAt: readonly number[], durationMs: number): Promise<number[]> {
    const passes = vi.mocked(anchoring.anchorNotes);
    let seen = passes.mock.calls.length;
    const times: number[] = [];
    for (let at = 0; at <= durationMs; at += 1) {
      if (at > 0) await vi.advanceTimersByTimeAsync(1);
      for (; seen < passes.mock.calls.length; seen += 1) times.push(at);
      if (changesAt.includes(at)) {
        rerenderPost();
        await vi.advanceTimersByTimeAsync(0);
      }
    }
    return times;
  }

  function startOnPost() {
    // performance.now is faked too, so no pass looks slow and the debounce never backs off mid-test.
    vi.useFakeTimers();
    document.body.replaceChildren(paragraph('post', postText));
    const started = start();
    started.notes.setNotes('modqueue:MQ-1', [note]);
    expect(started.onAnchors).toHaveBeenLastCalledWith('modqueue:MQ-1', [note.id], []);
    return started;
  }

  it('anchors again REANCHOR_DEBOUNCE_MS after a single change, not before', async () => {
    const { onAnchors, stop } = startOnPost();
    onAnchors.mockClear();
    expect(await passTimes([0], REANCHOR_MAX_WAIT_MS * 2)).toEqual([REANCHOR_DEBOUNCE_MS]);
    // The pass found the note in the new nodes; the report did not change, so it is not sent again.
    expect(onAnchors).not.toHaveBeenCalled();
    stop();
  });

  it('puts the pass off until REANCHOR_DEBOUNCE_MS after the last of a burst of changes', async () => {
    const { stop } = startOnPost();
    // The burst ends early enough that its debounced pass still comes before the max wait would force one.
    const lastChange = Math.floor((REANCHOR_MAX_WAIT_MS - REANCHOR_DEBOUNCE_MS - 1) / frameMs) * frameMs;
    const burst = everyFrame(0, lastChange);
    expect(burst.length).toBeGreaterThan(10);
    expect(await passTimes(burst, REANCHOR_MAX_WAIT_MS * 2)).toEqual([lastChange + REANCHOR_DEBOUNCE_MS]);
    stop();
  });

  it('still anchors REANCHOR_MAX_WAIT_MS after the first change on a page that never stops changing', async () => {
    const { stop } = startOnPost();
    const durationMs = REANCHOR_MAX_WAIT_MS * 2 + 100;
    const times = await passTimes(everyFrame(0, durationMs), durationMs);
    // The pending timer is armed for the max-wait deadline itself, so no tick of slack is needed. After the
    // first pass the next change starts the next wait, which ends REANCHOR_MAX_WAIT_MS after that change.
    const nextFirstChange = Math.ceil(REANCHOR_MAX_WAIT_MS / frameMs) * frameMs;
    expect(times).toEqual([REANCHOR_MAX_WAIT_MS, nextFirstChange + REANCHOR_MAX_WAIT_MS]);
    stop();
  });
});
