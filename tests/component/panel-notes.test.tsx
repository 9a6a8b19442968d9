/**
 * Mentors' inline notes in the panel (issue 5), as a mentor and a mentee use them: annotate, write, save, read the
 * list with what the page found, reply, acknowledge, delete, export. Found by role and label; the worker and the
 * page are the in-memory fake client, which records every request.
 */
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Panel } from '@/components/panel/Panel';
import { itemKey } from '@/lib/site-profile';
import type { NoteTarget } from '@/lib/schemas';
import type { PanelContext } from '@/lib/protocol';
import {
  AUDITOR,
  ELEMENT_TARGET,
  NOW,
  QUOTE_TARGET,
  createFakePanelClient,
  makeItem,
  makeNote,
  makePanelContext,
  makeReply,
  makeThread,
  type FakePanelClient,
} from './fake-panel-client';

function renderPanel(context: PanelContext = makePanelContext()) {
  const client = createFakePanelClient({ context, connection: { state: 'attached' } });
  const saved: Array<{ fileName: string; text: string }> = [];
  const user = userEvent.setup();
  const view = render(
    <Panel client={client} now={() => NOW} isMac={false} saveFile={(fileName, text) => saved.push({ fileName, text })} />,
  );
  return { client, user, saved, ...view };
}

const ITEM_KEY = itemKey(makeItem());
const notesRegion = () => screen.getByRole('region', { name: /^Inline notes/ });
const annotateButton = () => within(notesRegion()).getByRole('button', { name: 'Annotate' });
const composer = () => screen.getByRole('form', { name: 'New note' });
const noteBody = () => within(composer()).getByLabelText('Your note') as HTMLTextAreaElement;
const statusText = () =>
  screen
    .getAllByRole('status')
    .map((element) => element.textContent)
    .join(' ');
const captured = (client: FakePanelClient, target: NoteTarget | null, problem?: string) =>
  act(() => client.pushPageNoteEvent({ kind: 'captured', target, ...(problem ? { problem: { message: problem } } : {}) }));
const noteCard = (author: string) => screen.getByRole('article', { name: `${author}’s note` });

/** Starts annotating from the panel's button and has the page report `target`. */
async function pointAt(client: FakePanelClient, user: ReturnType<typeof userEvent.setup>, target: NoteTarget = QUOTE_TARGET) {
  await user.click(annotateButton());
  await captured(client, target);
}

describe('annotate', () => {
  it('the Annotate button starts annotate mode on the page, shows its key, and says what to do', async () => {
    const { client, user } = renderPanel();
    expect(annotateButton().getAttribute('aria-keyshortcuts')).toBe('Alt+N');
    expect(annotateButton().textContent).toContain('Alt+N');

    await user.click(annotateButton());
    expect(client.requests.capture.args).toEqual(['start']);
    expect(statusText()).toContain('Select text or click an element on the page… Esc to cancel');
    expect(screen.queryByRole('form', { name: 'New note' })).toBeNull();
  });

  it('Cancel stops annotate mode, says so, and puts focus back on Annotate', async () => {
    const { client, user } = renderPanel();
    await user.click(annotateButton());
    await user.click(screen.getByRole('button', { name: 'Cancel annotating' }));
    expect(client.requests.capture.args).toEqual(['start', 'stop']);
    expect(statusText()).toContain('Annotate cancelled');
    expect(statusText()).not.toContain('Select text');
    expect(document.activeElement).toBe(annotateButton());
  });

  it('Escape in the panel cancels annotate mode instead of leaving the panel', async () => {
    const { client, user } = renderPanel();
    await user.click(annotateButton());
    await user.keyboard('{Escape}');
    expect(client.requests.capture.args).toEqual(['start', 'stop']);
    expect(client.returnFocusCalls).toBe(0);
    // With nothing to cancel, Escape hands focus to the page as before.
    await user.keyboard('{Escape}');
    expect(client.returnFocusCalls).toBe(1);
  });

  it('the annotate key typed in the panel starts it too', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('{Alt>}n{/Alt}');
    expect(client.requests.capture.args).toEqual(['start']);
  });

  it('the annotate command from the page starts it, and the note is saved with focus given back to the page', async () => {
    const { client, user } = renderPanel();
    await act(() => client.pushCommand({ kind: 'annotate' }));
    expect(client.requests.capture.args).toEqual(['start']);

    await captured(client, QUOTE_TARGET);
    expect(client.takeFocusCalls).toBe(1);
    expect(document.activeElement).toBe(noteBody());
    await user.keyboard('Slur here{Control>}{Enter}{/Control}');
    expect(client.requests.saveNote.args).toHaveLength(1);
    expect(client.returnFocusCalls).toBe(1);
  });

  it('says why the page could not start annotate mode', async () => {
    const { client, user } = renderPanel();
    client.requests.capture.answer = { kind: 'fail', error: { code: 'refused', message: 'The labeling page did not answer: reload it, then try again.' } };
    await user.click(annotateButton());
    expect((await screen.findByRole('alert')).textContent).toBe('The labeling page did not answer: reload it, then try again.');
    expect(statusText()).not.toContain('Select text');
  });

  it('needs the auditor id first, and says so instead of starting', async () => {
    const { client, user } = renderPanel(makePanelContext({ auditorId: null }));
    expect(annotateButton().getAttribute('aria-disabled')).toBe('true');
    expect(annotateButton().getAttribute('aria-describedby')).toBeTruthy();
    const hint = document.getElementById(annotateButton().getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toMatch(/auditor id/i);

    await user.click(annotateButton());
    await user.keyboard('{Alt>}n{/Alt}');
    await act(() => client.pushCommand({ kind: 'annotate' }));
    expect(client.requests.capture.calls).toHaveLength(0);
    expect(screen.getByRole('alert').textContent).toMatch(/auditor id first/i);
  });

  it('announces a cancel on the page, and shows why nothing could be pinned', async () => {
    const { client, user } = renderPanel();
    await user.click(annotateButton());
    await captured(client, null);
    expect(statusText()).toContain('Annotate cancelled');
    expect(screen.queryByRole('form', { name: 'New note' })).toBeNull();

    await user.click(annotateButton());
    await captured(client, null, 'That selection is longer than 2000 characters: select less.');
    expect(screen.getByRole('alert').textContent).toBe('That selection is longer than 2000 characters: select less.');
  });

  it('unfolds a folded panel when the page asks to annotate', async () => {
    const { client } = renderPanel(makePanelContext({ layout: { side: 'right', collapsed: true } }));
    await act(() => client.pushCommand({ kind: 'annotate' }));
    expect(client.requests.capture.args).toEqual(['start']);
    expect(client.requests.setLayout.args).toEqual([{ side: 'right', collapsed: false }]);
  });
});

describe('composer', () => {
  it('shows the quote, focuses the text, and saves with Ctrl+Enter: item, target, body and tag', async () => {
    const { client, user } = renderPanel();
    await pointAt(client, user);

    expect(within(composer()).getByText('you people are all the same')).toBeTruthy();
    expect(document.activeElement).toBe(noteBody());
    await user.keyboard('  Slur against a protected group.{Shift>}{Enter}{/Shift}See policy 4.2  ');
    await user.selectOptions(within(composer()).getByLabelText('Error tag'), 'Wrong policy');
    noteBody().focus();
    await user.keyboard('{Control>}{Enter}{/Control}');

    expect(client.requests.saveNote.args).toEqual([
      { item: makeItem(), target: QUOTE_TARGET, body: 'Slur against a protected group.\nSee policy 4.2', errorTag: 'wrong-policy' },
    ]);
    expect(screen.queryByRole('form', { name: 'New note' })).toBeNull();
    expect(statusText()).toContain('Note saved');
    // Asked for from the panel's button: focus goes back there.
    expect(document.activeElement).toBe(annotateButton());
    expect(client.returnFocusCalls).toBe(0);
  });

  it('sends no error tag when none is picked', async () => {
    const { client, user } = renderPanel();
    await pointAt(client, user);
    await user.keyboard('Look here');
    await user.click(within(composer()).getByRole('button', { name: /save note/i }));
    expect(client.requests.saveNote.args).toEqual([{ item: makeItem(), target: QUOTE_TARGET, body: 'Look here' }]);
  });

  it('Enter in the note is a new line, never a verdict save', async () => {
    const { client, user } = renderPanel();
    // A verdict draft that Enter would save anywhere else in the panel.
    await act(() => client.pushCommand({ kind: 'verdict', verdict: 'unsure' }));
    await pointAt(client, user);
    await user.keyboard('line one{Enter}line two');
    expect(noteBody().value).toBe('line one\nline two');
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
    expect(client.requests.saveNote.calls).toHaveLength(0);
  });

  it('shows an element target by its description', async () => {
    const { client, user } = renderPanel();
    await pointAt(client, user, ELEMENT_TARGET);
    expect(within(composer()).getByText('button “Approve”').textContent).toBe('Element: button “Approve”');
  });

  it('cuts a long quote on screen but keeps all of it for screen readers', async () => {
    const exact = `${'word '.repeat(60)}END`;
    const { client, user } = renderPanel();
    await pointAt(client, user, { kind: 'text', quote: { type: 'TextQuoteSelector', exact } });
    const quote = within(composer()).getByText(/^Quote:/, { selector: '.visually-hidden' }).parentElement as HTMLElement;
    const shown = quote.querySelector('[aria-hidden="true"]')?.textContent ?? '';
    expect(shown.endsWith('…')).toBe(true);
    expect(shown).not.toContain('END');
    expect(within(quote).getByText(exact.trim(), { exact: true, normalizer: (t) => t })).toBeTruthy();
    expect(quote.getAttribute('title')).toBe(exact);
  });

  it('keeps the text and shows the message when saving fails, and saves on the next try', async () => {
    const { client, user } = renderPanel();
    client.requests.saveNote.answer = {
      kind: 'fail',
      error: { code: 'storage-full', message: 'Not saved: the browser has no room left. Your note is still here.' },
    };
    await pointAt(client, user);
    await user.keyboard('keep me{Control>}{Enter}{/Control}');

    expect(within(composer()).getByRole('alert').textContent).toBe('Not saved: the browser has no room left. Your note is still here.');
    expect(noteBody().value).toBe('keep me');
    expect(statusText()).not.toContain('Note saved');

    client.requests.saveNote.answer = { kind: 'ok' };
    await user.click(within(composer()).getByRole('button', { name: /save note/i }));
    expect(client.requests.saveNote.args.map((draft) => draft.body)).toEqual(['keep me', 'keep me']);
    expect(screen.queryByRole('form', { name: 'New note' })).toBeNull();
  });

  it('treats an unreachable worker the same way', async () => {
    const { client, user } = renderPanel();
    client.requests.saveNote.answer = { kind: 'reject', error: new Error('Loupe could not reach its background worker.') };
    await pointAt(client, user);
    await user.keyboard('still here{Control>}{Enter}{/Control}');
    expect(within(composer()).getByRole('alert').textContent).toBe('Loupe could not reach its background worker.');
    expect(noteBody().value).toBe('still here');
  });

  it('sends one request while saving, with Save disabled', async () => {
    const { client, user } = renderPanel();
    client.requests.saveNote.answer = { kind: 'pending' };
    await pointAt(client, user);
    await user.keyboard('once{Control>}{Enter}{/Control}');
    const save = within(composer()).getByRole('button', { name: /saving/i });
    expect(save.getAttribute('aria-disabled')).toBe('true');
    await user.click(save);
    await user.keyboard('{Control>}{Enter}{/Control}{Escape}');
    expect(client.requests.saveNote.calls).toHaveLength(1);
    expect(composer()).toBeTruthy();

    await act(async () => client.requests.saveNote.calls[0]?.resolveOk());
    expect(screen.queryByRole('form', { name: 'New note' })).toBeNull();
    expect(statusText()).toContain('Note saved');
  });

  it('refuses an empty note without a request', async () => {
    const { client, user } = renderPanel();
    await pointAt(client, user);
    await user.keyboard('   {Control>}{Enter}{/Control}');
    expect(client.requests.saveNote.calls).toHaveLength(0);
    expect(within(composer()).getByRole('alert').textContent).toMatch(/write the note first/i);
  });

  it('refuses to pin the note to another item than the one pointed at', async () => {
    const { client, user } = renderPanel();
    await pointAt(client, user);
    await user.keyboard('on the first item');
    await act(() => client.pushContext(makePanelContext({ reading: { status: 'found', item: makeItem('MQ-1002'), problems: [] } })));
    noteBody().focus();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(client.requests.saveNote.calls).toHaveLength(0);
    expect(within(composer()).getByRole('alert').textContent).toMatch(/MQ-1002/);
    expect(noteBody().value).toBe('on the first item');
  });

  it('Escape cancels and returns focus to where annotating started', async () => {
    const { client, user } = renderPanel();
    await pointAt(client, user);
    await user.keyboard('never mind');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('form', { name: 'New note' })).toBeNull();
    expect(client.requests.saveNote.calls).toHaveLength(0);
    expect(document.activeElement).toBe(annotateButton());
    expect(client.returnFocusCalls).toBe(0);
    expect(statusText()).toContain('Note discarded');
  });

  it('Cancel after the page’s key gives focus back to the page', async () => {
    const { client, user } = renderPanel();
    await act(() => client.pushCommand({ kind: 'annotate' }));
    await captured(client, QUOTE_TARGET);
    await user.click(within(composer()).getByRole('button', { name: /cancel/i }));
    expect(screen.queryByRole('form', { name: 'New note' })).toBeNull();
    expect(client.returnFocusCalls).toBe(1);
  });
});

describe('list', () => {
  const mentorNote = makeNote({ authorId: 'mentor-mo', errorTag: 'missed-violation' });
  const elementNote = makeNote({ authorId: 'mentor-mo', target: ELEMENT_TARGET, body: 'Approve was wrong here.' });
  const lostNote = makeNote({
    authorId: 'mentor-mo',
    target: { kind: 'text', quote: { type: 'TextQuoteSelector', exact: 'text the page no longer has' } },
    body: 'Gone from the page.',
  });
  const withNotes = (...notes: ReturnType<typeof makeThread>[]) => makePanelContext({ notes });

  it('says how to pin one when there are none, and offers no export', () => {
    renderPanel();
    expect(within(notesRegion()).getByText('No notes on this item yet. Press Alt+N or Annotate to pin one to the page.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /export notes/i })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Inline notes' })).toBeTruthy();
  });

  it('shows each note: author, time, quote or element, text, tag, and the count in the heading', () => {
    renderPanel(withNotes(makeThread(mentorNote), makeThread(elementNote)));
    expect(screen.getByRole('heading', { name: 'Inline notes (2)' })).toBeTruthy();
    const [first, second] = screen.getAllByRole('article', { name: 'mentor-mo’s note' }) as [HTMLElement, HTMLElement];
    expect(first.textContent).toContain('mentor-mo');
    expect(within(first).getByText('5 minutes ago')).toBeTruthy();
    expect(within(first).getByText('you people are all the same')).toBeTruthy();
    expect(within(first).getByText('This is a slur against a protected group: remove.')).toBeTruthy();
    expect(within(first).getByText('Missed violation')).toBeTruthy();
    expect(within(second).getByText('button “Approve”').textContent).toBe('Element: button “Approve”');
  });

  it('shows what the page found: Show on page, a clear "not found" with its quote, or still looking', async () => {
    const { client } = renderPanel(withNotes(makeThread(mentorNote), makeThread(lostNote), makeThread(elementNote)));
    const [found, lost, pending] = screen.getAllByRole('article') as [HTMLElement, HTMLElement, HTMLElement];
    // Nothing reported yet.
    expect(within(found).getByText('Looking on the page…')).toBeTruthy();
    expect(within(found).queryByRole('button', { name: 'Show on page' })).toBeNull();

    await act(() => client.pushAnchors({ itemKey: ITEM_KEY, found: [mentorNote.id], missing: [lostNote.id] }));
    expect(within(found).getByRole('button', { name: 'Show on page' })).toBeTruthy();
    expect(within(lost).getByText('Not found on this page')).toBeTruthy();
    expect(within(lost).getByText('text the page no longer has')).toBeTruthy();
    expect(within(lost).queryByRole('button', { name: 'Show on page' })).toBeNull();
    expect(within(pending).getByText('Looking on the page…')).toBeTruthy();
  });

  it('shows the report the page made before the panel attached, which comes with the context', async () => {
    const { client } = renderPanel(
      makePanelContext({
        notes: [makeThread(mentorNote), makeThread(lostNote)],
        anchors: { itemKey: ITEM_KEY, found: [mentorNote.id], missing: [lostNote.id] },
      }),
    );
    const [found, lost] = screen.getAllByRole('article') as [HTMLElement, HTMLElement];
    expect(within(found).getByRole('button', { name: 'Show on page' })).toBeTruthy();
    expect(within(lost).getByText('Not found on this page')).toBeTruthy();
    // A live report is newer than the context's copy: a later context with the old copy does not undo it.
    await act(() => client.pushAnchors({ itemKey: ITEM_KEY, found: [mentorNote.id, lostNote.id], missing: [] }));
    await act(() =>
      client.pushContext(
        makePanelContext({
          notes: [makeThread(mentorNote), makeThread(lostNote)],
          anchors: { itemKey: ITEM_KEY, found: [mentorNote.id], missing: [lostNote.id] },
        }),
      ),
    );
    expect(within(lost).getByRole('button', { name: 'Show on page' })).toBeTruthy();
    expect(screen.queryByText('Not found on this page')).toBeNull();
  });

  it('ignores an anchoring report about another item', async () => {
    const { client } = renderPanel(withNotes(makeThread(mentorNote)));
    await act(() => client.pushAnchors({ itemKey: 'modqueue:MQ-0999', found: [], missing: [mentorNote.id] }));
    expect(screen.queryByText('Not found on this page')).toBeNull();
    expect(screen.getByText('Looking on the page…')).toBeTruthy();
  });

  it('Show on page asks the page to show that note and selects it here', async () => {
    const { client, user } = renderPanel(withNotes(makeThread(mentorNote), makeThread(elementNote)));
    await act(() => client.pushAnchors({ itemKey: ITEM_KEY, found: [mentorNote.id, elementNote.id], missing: [] }));
    const second = screen.getAllByRole('article')[1] as HTMLElement;
    await user.click(within(second).getByRole('button', { name: 'Show on page' }));
    expect(client.showNoteCalls).toEqual([elementNote.id]);
    expect(second.closest('li')?.getAttribute('aria-current')).toBe('true');
  });

  it('a highlight focused on the page selects its note, opens its thread and scrolls it into view', async () => {
    const scrolled: Element[] = [];
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function scrollIntoView(this: Element) {
      scrolled.push(this);
    };
    try {
      const { client } = renderPanel(withNotes(makeThread(mentorNote), makeThread(elementNote)));
      const items = screen.getAllByRole('listitem').filter((li) => li.classList.contains('loupe-note'));
      expect(items.map((li) => li.getAttribute('aria-current'))).toEqual([null, null]);

      await act(() => client.pushPageNoteEvent({ kind: 'note-focused', noteId: elementNote.id }));
      expect(items.map((li) => li.getAttribute('aria-current'))).toEqual([null, 'true']);
      expect(scrolled).toEqual([items[1]]);
      expect(within(items[1] as HTMLElement).getByRole('button', { name: 'Reply' }).getAttribute('aria-expanded')).toBe('true');
      // Focus stays where the person is (on the page): nothing here takes it.
      expect(client.takeFocusCalls).toBe(0);
      // The same note focused again is scrolled to again.
      await act(() => client.pushPageNoteEvent({ kind: 'note-focused', noteId: elementNote.id }));
      expect(scrolled).toHaveLength(2);
    } finally {
      Element.prototype.scrollIntoView = original;
    }
  });

  it('keeps a long list inside its own scrolling list', () => {
    const many = Array.from({ length: 120 }, (_, i) => makeThread(makeNote({ body: `note ${i}` })));
    renderPanel(withNotes(...many));
    const list = screen.getByRole('list', { name: 'Pinned notes' });
    expect(within(list).getAllByRole('article')).toHaveLength(120);
    expect(list.className).toContain('loupe-notes-list');
    expect(screen.getByRole('heading', { name: 'Inline notes (120)' })).toBeTruthy();
  });

  it('renders note text as text, never as markup', () => {
    const { container } = renderPanel(withNotes(makeThread(makeNote({ body: '<img src=x onerror=alert(1)>' }))));
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });
});

describe('threads', () => {
  it('lists replies under the note and sends a reply with Ctrl+Enter', async () => {
    const note = makeNote();
    const reply = makeReply(note, { authorId: 'qa-bo', body: 'Which line?' });
    const { client, user } = renderPanel(makePanelContext({ notes: [makeThread(note, [reply])] }));
    const card = noteCard('mentor-mo');
    const toggle = within(card).getByRole('button', { name: 'Replies (1)' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(within(card).queryByText('Which line?')).toBeNull();

    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const replies = within(card).getByRole('list', { name: 'Replies' });
    expect(within(replies).getByText('Which line?')).toBeTruthy();
    expect(within(replies).getByText('qa-bo')).toBeTruthy();

    await user.type(within(card).getByLabelText('Your reply'), 'The second one{Control>}{Enter}{/Control}');
    expect(client.requests.replyToNote.args).toEqual([{ parentId: note.id, reply: { body: 'The second one' } }]);
    expect((within(card).getByLabelText('Your reply') as HTMLTextAreaElement).value).toBe('');
    expect(statusText()).toContain('Reply sent');
  });

  it('keeps a reply that could not be sent, with the reason', async () => {
    const note = makeNote();
    const { client, user } = renderPanel(makePanelContext({ notes: [makeThread(note)] }));
    client.requests.replyToNote.answer = { kind: 'fail', error: { code: 'not-found', message: 'That note is not on this site.' } };
    const card = noteCard('mentor-mo');
    await user.click(within(card).getByRole('button', { name: 'Reply' }));
    await user.type(within(card).getByLabelText('Your reply'), 'hello');
    await user.click(within(card).getByRole('button', { name: /send reply/i }));
    expect(within(card).getByRole('alert').textContent).toBe('That note is not on this site.');
    expect((within(card).getByLabelText('Your reply') as HTMLTextAreaElement).value).toBe('hello');
  });

  it('a mentee acknowledges a note once, and then sees that they did', async () => {
    const note = makeNote({ authorId: 'mentor-mo' });
    const { client, user } = renderPanel(makePanelContext({ notes: [makeThread(note)] }));
    const card = noteCard('mentor-mo');
    await user.click(within(card).getByRole('button', { name: 'Acknowledge' }));
    expect(client.requests.replyToNote.args).toEqual([{ parentId: note.id, reply: { acknowledged: true } }]);
    expect(within(card).getByText(/You acknowledged this/)).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(statusText()).toContain('Acknowledged');
  });

  it('shows "You acknowledged this" from the records too, and the mentor sees who did', () => {
    const note = makeNote({ authorId: 'mentor-mo' });
    const acknowledgement = makeReply(note, { authorId: AUDITOR, body: undefined, acknowledged: true });
    const thread = makeThread(note, [acknowledgement]);

    const mentee = renderPanel(makePanelContext({ notes: [thread] }));
    expect(within(noteCard('mentor-mo')).getByText(/You acknowledged this/)).toBeTruthy();
    expect(within(noteCard('mentor-mo')).queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    // An acknowledgement alone is not a reply.
    expect(within(noteCard('mentor-mo')).getByRole('button', { name: 'Reply' })).toBeTruthy();
    mentee.unmount();

    renderPanel(makePanelContext({ auditorId: 'mentor-mo', notes: [thread] }));
    const card = noteCard('mentor-mo');
    expect(within(card).getByText(`Acknowledged by ${AUDITOR}`)).toBeTruthy();
    // Nobody acknowledges their own note.
    expect(within(card).queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  });

  it('tells the mentor when nobody has acknowledged yet', () => {
    renderPanel(makePanelContext({ auditorId: 'mentor-mo', notes: [makeThread(makeNote({ authorId: 'mentor-mo' }))] }));
    expect(within(noteCard('mentor-mo')).getByText('Not acknowledged yet')).toBeTruthy();
  });

  it('shows why an acknowledgement failed, and keeps the button', async () => {
    const { client, user } = renderPanel(makePanelContext({ notes: [makeThread(makeNote())] }));
    client.requests.replyToNote.answer = { kind: 'reject', error: new Error('Loupe could not reach its background worker.') };
    const card = noteCard('mentor-mo');
    await user.click(within(card).getByRole('button', { name: 'Acknowledge' }));
    expect(within(card).getByRole('alert').textContent).toBe('Loupe could not reach its background worker.');
    expect(within(card).getByRole('button', { name: 'Acknowledge' })).toBeTruthy();
  });
});

describe('delete', () => {
  it('deletes one’s own note after a confirm step that defaults to No', async () => {
    const mine = makeNote({ authorId: 'mentor-mo' });
    const { client, user } = renderPanel(makePanelContext({ auditorId: 'mentor-mo', notes: [makeThread(mine)] }));
    const card = noteCard('mentor-mo');
    await user.click(within(card).getByRole('button', { name: 'Delete note' }));
    const confirm = within(card).getByRole('group', { name: 'Delete this note?' });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'No' }));
    // Enter on the focused button is "No": nothing is deleted, and focus is back on Delete.
    await user.keyboard('{Enter}');
    expect(client.requests.deleteNote.calls).toHaveLength(0);
    expect(document.activeElement).toBe(within(card).getByRole('button', { name: 'Delete note' }));

    await user.keyboard('{Enter}');
    await user.keyboard('{Escape}');
    expect(within(card).queryByRole('group', { name: 'Delete this note?' })).toBeNull();
    expect(client.returnFocusCalls).toBe(0);

    await user.click(within(card).getByRole('button', { name: 'Delete note' }));
    await user.click(within(card).getByRole('button', { name: 'Yes, delete' }));
    expect(client.requests.deleteNote.args).toEqual([mine.id]);
    expect(statusText()).toContain('Note deleted');
  });

  it('deletes one’s own reply, and offers no delete on others’ notes and replies', async () => {
    const note = makeNote({ authorId: 'mentor-mo' });
    const mine = makeReply(note, { authorId: AUDITOR, body: 'mine' });
    const theirs = makeReply(note, { authorId: 'qa-bo', body: 'theirs' });
    const { client, user } = renderPanel(makePanelContext({ notes: [makeThread(note, [mine, theirs])] }));
    const card = noteCard('mentor-mo');
    expect(within(card).queryByRole('button', { name: 'Delete note' })).toBeNull();
    await user.click(within(card).getByRole('button', { name: 'Replies (2)' }));
    expect(within(card).getAllByRole('button', { name: 'Delete reply' })).toHaveLength(1);
    const myReply = within(card).getByText('mine').closest('li') as HTMLElement;
    await user.click(within(myReply).getByRole('button', { name: 'Delete reply' }));
    await user.click(within(myReply).getByRole('button', { name: 'Yes, delete' }));
    expect(client.requests.deleteNote.args).toEqual([mine.id]);
  });

  it('shows why a delete failed', async () => {
    const { client, user } = renderPanel(makePanelContext({ auditorId: 'mentor-mo', notes: [makeThread(makeNote({ authorId: 'mentor-mo' }))] }));
    client.requests.deleteNote.answer = { kind: 'fail', error: { code: 'refused', message: 'Only its author can delete a note.' } };
    const card = noteCard('mentor-mo');
    await user.click(within(card).getByRole('button', { name: 'Delete note' }));
    await user.click(within(card).getByRole('button', { name: 'Yes, delete' }));
    expect(within(card).getByRole('alert').textContent).toBe('Only its author can delete a note.');
    expect(document.activeElement).toBe(within(card).getByRole('button', { name: 'Delete note' }));
  });
});

describe('export', () => {
  it('downloads the item’s notes and replies as a W3C Web Annotation collection', async () => {
    const note = makeNote();
    const reply = makeReply(note, { body: 'ok' });
    const { user, saved } = renderPanel(makePanelContext({ notes: [makeThread(note, [reply])] }));
    await user.click(screen.getByRole('button', { name: 'Export notes (W3C JSON-LD)' }));

    expect(saved).toHaveLength(1);
    expect(saved[0]?.fileName).toBe('loupe-notes-modqueue-MQ-1001.jsonld');
    const collection = JSON.parse(saved[0]?.text ?? '{}') as {
      '@context': string;
      type: string;
      total: number;
      first: { items: Array<{ id: string; motivation: string; target: unknown }> };
    };
    expect(collection['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
    expect(collection.type).toBe('AnnotationCollection');
    expect(collection.total).toBe(2);
    expect(collection.first.items.map((item) => [item.id, item.motivation])).toEqual([
      [`urn:uuid:${note.id}`, 'commenting'],
      [`urn:uuid:${reply.id}`, 'replying'],
    ]);
    expect(statusText()).toContain('Exported loupe-notes-modqueue-MQ-1001.jsonld');
  });
});

describe('lifecycle', () => {
  it('unsubscribes from the page’s note events and anchoring reports when unmounted', () => {
    const { client, unmount } = renderPanel();
    expect(client.noteListenerCount()).toBe(2);
    unmount();
    expect(client.noteListenerCount()).toBe(0);
  });

  it('applies an anchoring report that arrived before the panel subscribed', () => {
    const note = makeNote();
    const client = createFakePanelClient({ context: makePanelContext({ notes: [makeThread(note)] }), connection: { state: 'attached' } });
    client.pushAnchors({ itemKey: ITEM_KEY, found: [], missing: [note.id] });
    render(<Panel client={client} now={() => NOW} isMac={false} />);
    expect(screen.getByText('Not found on this page')).toBeTruthy();
  });
});
