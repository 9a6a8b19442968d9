import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Panel } from '@/components/panel/Panel';
import type { PanelConnection } from '@/lib/panel-client';
import type { PanelCommandMessage, PanelContext } from '@/lib/protocol';
import {
  NOW,
  createFakePanelClient,
  makeAudit,
  makeItem,
  makePanelContext,
  makeSyncSummary,
  type FakePanelClient,
} from './fake-panel-client';

interface Setup {
  context?: PanelContext | null;
  connection?: PanelConnection | null;
  now?: () => number;
}

function renderPanel({ context, connection, now = () => NOW }: Setup = {}) {
  const client = createFakePanelClient({
    ...(context === null ? {} : { context: context ?? makePanelContext() }),
    ...(connection === null ? {} : { connection: connection ?? { state: 'attached' } }),
  });
  const user = userEvent.setup();
  const view = render(<Panel client={client} now={now} isMac={false} />);
  return { client, user, ...view };
}

const radio = (name: string) => screen.getByRole('radio', { name });
const tagList = () => screen.getByRole('listbox', { name: 'Error tags' });
const tagOption = (name: RegExp) => within(tagList()).getByRole('option', { name });
const saveButton = () => screen.getByRole('button', { name: 'Save' });
const statusText = () =>
  screen
    .getAllByRole('status')
    .map((element) => element.textContent)
    .join(' ');
const push = (client: FakePanelClient, context: PanelContext) => act(() => client.pushContext(context));
const command = (client: FakePanelClient, message: PanelCommandMessage) => act(() => client.pushCommand(message));

describe('connection', () => {
  it('says it is connecting until the worker has pushed a context', () => {
    renderPanel({ context: null, connection: { state: 'connecting' } });
    expect(screen.getByRole('status').textContent).toBe('Connecting…');
    expect(screen.queryByRole('radio')).toBeNull();
  });

  it('renders only the reason when the worker refused the panel', () => {
    const { container, client } = renderPanel({ connection: { state: 'refused', reason: 'This panel was not opened by Loupe.' } });
    expect(container.textContent).toBe('This panel was not opened by Loupe.');
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    // Keys do nothing either.
    act(() => {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: '1', bubbles: true }));
    });
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
  });

  it('shows a banner while reconnecting and keeps the draft', async () => {
    const { client, user } = renderPanel();
    await user.type(screen.getByLabelText('Note'), 'half a thought');
    act(() => client.setConnection({ state: 'reconnecting' }));
    expect(screen.getByText(/reconnecting to loupe/i)).toBeTruthy();
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('half a thought');
    act(() => client.setConnection({ state: 'attached' }));
    expect(screen.queryByText(/reconnecting to loupe/i)).toBeNull();
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('half a thought');
  });

  it('unsubscribes from the client when unmounted', () => {
    const { client, unmount } = renderPanel();
    expect(client.listenerCount()).toBe(4);
    unmount();
    expect(client.listenerCount()).toBe(0);
  });
});

describe('auditor first run', () => {
  it('asks for the auditor id before any verdict control, then sends it', async () => {
    const { client, user } = renderPanel({ context: makePanelContext({ auditorId: null }) });
    expect(screen.queryByRole('radio')).toBeNull();
    await user.keyboard('1');
    expect(client.requests.recordVerdict.calls).toHaveLength(0);

    await user.type(screen.getByLabelText('Your auditor id'), '  qa-ana  ');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(client.requests.setAuditor.args).toEqual(['qa-ana']);

    push(client, makePanelContext({ auditorId: 'qa-ana' }));
    expect(screen.queryByLabelText('Your auditor id')).toBeNull();
    expect(radio('Correct')).toBeTruthy();
  });

  it('shows why the auditor id was not saved', async () => {
    const { client, user } = renderPanel({ context: makePanelContext({ auditorId: null }) });
    client.requests.setAuditor.answer = { kind: 'fail', error: { code: 'storage-unavailable', message: 'Storage is unavailable.' } };
    await user.type(screen.getByLabelText('Your auditor id'), 'qa-ana{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('Storage is unavailable.');
    expect(screen.queryByRole('radio')).toBeNull();
  });
});

describe('item', () => {
  it('shows what was read, and "not read" for missing fields with their problems', () => {
    renderPanel({
      context: makePanelContext({
        reading: {
          status: 'found',
          item: makeItem('MQ-1001', { labelerId: undefined }),
          problems: [{ field: 'labelerId', problem: { code: 'no-match', selector: '.labeler' } }],
        },
      }),
    });
    const item = screen.getByRole('region', { name: 'Item on this page' });
    expect(within(item).getByText('MQ-1001')).toBeTruthy();
    expect(within(item).getByText('allow')).toBeTruthy();
    expect(within(item).getByText('hate-speech')).toBeTruthy();
    expect(within(item).getByText('not read')).toBeTruthy();
    const warnings = screen.getByRole('list', { name: 'Fields Loupe could not read' });
    expect(warnings.textContent).toBe('Labeler: no element matches ".labeler" on this page');
  });

  it('says clearly when the item id could not be read, and how to fix it', () => {
    renderPanel({
      context: makePanelContext({
        reading: { status: 'missing', problems: [{ field: 'itemId', problem: { code: 'no-match', selector: '#ticket-id' } }] },
      }),
    });
    expect(screen.getByRole('heading', { name: /could not read the item id/i })).toBeTruthy();
    expect(screen.getByText('Item id: no element matches "#ticket-id" on this page')).toBeTruthy();
    expect(screen.getByText(/Open Loupe options → Sites →/).textContent).toBe(
      'To fix it: Open Loupe options → Sites → ModQueue and check the Item id field.',
    );
    expect(screen.queryByRole('radio')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it('waits for the page before anything was read', () => {
    renderPanel({ context: makePanelContext({ reading: null }) });
    expect(screen.getByText('Waiting for the page…')).toBeTruthy();
    expect(screen.queryByRole('radio')).toBeNull();
  });

  it('renders page text as text, never as markup', () => {
    const { container } = renderPanel({
      context: makePanelContext({
        reading: { status: 'found', item: makeItem('<img src=x onerror=alert(1)>'), problems: [] },
      }),
    });
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });
});

describe('verdicts', () => {
  it('saves Correct with one key, and says Saved only after the worker replied', async () => {
    const { client, user } = renderPanel();
    client.requests.recordVerdict.answer = { kind: 'pending' };
    expect(radio('Correct').getAttribute('aria-checked')).toBe('false');

    await user.keyboard('1');

    expect(client.requests.recordVerdict.args).toEqual([
      { item: makeItem(), input: { verdict: 'correct', errorTags: [], durationMs: 4_000 } },
    ]);
    expect(statusText()).toContain('Saving…');
    expect(statusText()).not.toContain('Saved');
    expect(client.returnFocusCalls).toBe(0);

    await act(async () => client.requests.recordVerdict.calls[0]?.resolveOk());
    expect(statusText()).toContain('Saved');
    expect(client.returnFocusCalls).toBe(1);
    // Ready for a re-audit: the draft is empty again.
    expect(radio('Correct').getAttribute('aria-checked')).toBe('false');
  });

  it('shows each verdict with its key', () => {
    renderPanel();
    expect(radio('Correct').textContent).toBe('Correct1');
    expect(radio('Incorrect').getAttribute('aria-keyshortcuts')).toBe('2');
    expect(screen.getByRole('radiogroup', { name: 'Verdict' })).toBeTruthy();
  });

  it('Incorrect selects and moves focus to the tags; Unsure to the note', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('2');
    expect(radio('Incorrect').getAttribute('aria-checked')).toBe('true');
    expect(document.activeElement).toBe(tagList());
    await user.click(radio('Unsure'));
    expect(radio('Unsure').getAttribute('aria-checked')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('Note'));
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
  });

  it('refuses Incorrect without a tag without calling the worker, and focuses the tags', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('2');
    await user.click(saveButton());
    expect(screen.getByRole('alert').textContent).toBe('Pick at least one error tag for an incorrect verdict');
    expect(document.activeElement).toBe(tagList());
    await user.keyboard('{Enter}');
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
  });

  it('saves incorrect with tags, severity, corrected decision and note on Enter', async () => {
    let t = NOW;
    const { client, user } = renderPanel({ now: () => t });
    await user.keyboard('2');
    await user.keyboard('m');
    await user.keyboard('c');
    await user.selectOptions(screen.getByLabelText('Severity'), 'Major');
    await user.type(screen.getByLabelText('Corrected decision'), '  remove  ');
    await user.type(screen.getByLabelText('Note'), 'Slur in the second line{Shift>}{Enter}{/Shift}see thread');
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
    t = NOW + 1_500;
    await user.keyboard('{Enter}');

    expect(client.requests.recordVerdict.args).toEqual([
      {
        item: makeItem(),
        input: {
          verdict: 'incorrect',
          errorTags: ['missed-violation', 'insufficient-context'],
          severity: 'major',
          correctedDecision: 'remove',
          note: 'Slur in the second line\nsee thread',
          durationMs: 5_500,
        },
      },
    ]);
    expect(await screen.findByText('Saved')).toBeTruthy();
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('');
    expect(tagOption(/missed violation/i).getAttribute('aria-selected')).toBe('false');
  });

  it('leaves out durationMs when the item has no shownAt', async () => {
    const { client, user } = renderPanel({ context: makePanelContext({ shownAt: null }) });
    await user.keyboard('1');
    expect(client.requests.recordVerdict.args[0]?.input).toEqual({ verdict: 'correct', errorTags: [] });
  });

  it('clamps durationMs to 0 when the clock went backwards', async () => {
    const { client, user } = renderPanel({ context: makePanelContext({ shownAt: NOW + 60_000 }) });
    await user.keyboard('1');
    expect(client.requests.recordVerdict.args[0]?.input.durationMs).toBe(0);
  });
});

describe('tags', () => {
  it('a tag key toggles the tag, and makes a draft without verdict incorrect', async () => {
    const { user } = renderPanel();
    await user.keyboard('m');
    expect(tagOption(/missed violation/i).getAttribute('aria-selected')).toBe('true');
    expect(radio('Incorrect').getAttribute('aria-checked')).toBe('true');
    await user.keyboard('m');
    expect(tagOption(/missed violation/i).getAttribute('aria-selected')).toBe('false');
  });

  it('ignores verdict and tag keys while typing in a text field', async () => {
    const { client, user } = renderPanel();
    await user.type(screen.getByLabelText('Note'), 'm1?');
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('m1?');
    expect(tagOption(/missed violation/i).getAttribute('aria-selected')).toBe('false');
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows each tag with its key and description, as a multi-select listbox', () => {
    renderPanel();
    expect(tagList().getAttribute('aria-multiselectable')).toBe('true');
    const option = tagOption(/missed violation/i);
    expect(option.getAttribute('aria-keyshortcuts')).toBe('M');
    expect(option.getAttribute('title')).toBe('Content breaks policy but was labeled as allowed.');
    expect(within(option).getByText('Content breaks policy but was labeled as allowed.')).toBeTruthy();
  });

  it('"/" focuses the search, which filters the tags; Enter picks the first match', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('/');
    const search = screen.getByRole('searchbox', { name: /search error tags/i });
    expect(document.activeElement).toBe(search);
    await user.keyboard('sever');
    expect(within(tagList()).getAllByRole('option').map((o) => o.querySelector('.loupe-tag-label')?.textContent)).toEqual([
      'Wrong severity',
    ]);
    await user.keyboard('{Enter}');
    expect((search as HTMLInputElement).value).toBe('');
    expect(tagOption(/wrong severity/i).getAttribute('aria-selected')).toBe('true');
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
    // With the search empty, Enter saves.
    await user.keyboard('{Enter}');
    expect(client.requests.recordVerdict.args[0]?.input.errorTags).toEqual(['wrong-severity']);
  });

  it('says when no tag matches the search', async () => {
    const { user } = renderPanel();
    await user.type(screen.getByRole('searchbox', { name: /search error tags/i }), 'zzz');
    expect(within(tagList()).queryAllByRole('option')).toHaveLength(0);
    expect(screen.getByText('No tag matches “zzz”.')).toBeTruthy();
  });

  it('arrows and Space pick tags inside the listbox', async () => {
    const { user } = renderPanel();
    await user.keyboard('2');
    await user.keyboard('{ArrowDown}{ }');
    expect(tagOption(/over-enforcement/i).getAttribute('aria-selected')).toBe('true');
    expect(tagList().getAttribute('aria-activedescendant')).toBe(tagOption(/over-enforcement/i).id);
  });
});

describe('saving', () => {
  it('keeps the whole draft and shows the error when the worker could not store it', async () => {
    const { client, user } = renderPanel();
    client.requests.recordVerdict.answer = {
      kind: 'fail',
      error: { code: 'storage-full', message: 'The disk is full: free some space and save again.' },
    };
    await user.keyboard('2m');
    await user.type(screen.getByLabelText('Note'), 'keep me');
    await user.keyboard('{Enter}');

    expect(screen.getByRole('alert').textContent).toBe('The disk is full: free some space and save again.');
    expect(statusText()).not.toContain('Saved');
    expect(radio('Incorrect').getAttribute('aria-checked')).toBe('true');
    expect(tagOption(/missed violation/i).getAttribute('aria-selected')).toBe('true');
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('keep me');
    expect(client.returnFocusCalls).toBe(0);

    // Saving again works once the worker can store it.
    client.requests.recordVerdict.answer = { kind: 'ok' };
    await user.click(saveButton());
    expect(await screen.findByText('Saved')).toBeTruthy();
    expect(client.requests.recordVerdict.args[1]?.input.note).toBe('keep me');
  });

  it('treats an unreachable worker (rejected request) the same way', async () => {
    const { client, user } = renderPanel();
    client.requests.recordVerdict.answer = {
      kind: 'reject',
      error: new Error('Loupe could not reach its background worker. Reload the page.'),
    };
    await user.click(radio('Unsure'));
    await user.keyboard('not sure about context{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('Loupe could not reach its background worker. Reload the page.');
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('not sure about context');
    expect(radio('Unsure').getAttribute('aria-checked')).toBe('true');
  });

  it('sends one request while a save is pending, however often Save is pressed', async () => {
    const { client, user } = renderPanel();
    client.requests.recordVerdict.answer = { kind: 'pending' };
    await user.keyboard('2m');
    await user.keyboard('{Enter}');
    await user.keyboard('{Enter}');
    await user.click(saveButton());
    await user.keyboard('1');
    expect(client.requests.recordVerdict.calls).toHaveLength(1);
    expect(saveButton().getAttribute('aria-disabled')).toBe('true');
    expect(statusText()).toContain('Saving…');
    await act(async () => client.requests.recordVerdict.calls[0]?.resolveOk());
    expect(statusText()).toContain('Saved');
    expect(saveButton().getAttribute('aria-disabled')).toBeNull();
  });

  it('does not save on the Enter that confirms an IME composition (Khmer, Thai input)', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('3');
    const note = screen.getByLabelText('Note');
    act(() => {
      note.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    });
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
    act(() => {
      note.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    expect(client.requests.recordVerdict.calls).toHaveLength(1);
  });

  it('Escape hands focus back to the labeling page', async () => {
    const { client, user } = renderPanel();
    await user.click(screen.getByLabelText('Corrected decision'));
    await user.keyboard('{Escape}');
    expect(client.returnFocusCalls).toBe(1);
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
  });

  it('asks for a verdict first when there is none', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('alert').textContent).toMatch(/choose a verdict first/i);
    expect(document.activeElement).toBe(radio('Correct'));
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
  });
});

describe('undo', () => {
  it('takes back the last verdict with Mod+Z inside the window', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('1');
    const undo = await screen.findByRole('button', { name: 'Undo' });
    expect(undo.textContent).toContain('Ctrl+Z');

    await user.keyboard('{Control>}z{/Control}');
    expect(client.requests.undo.calls).toHaveLength(1);
    expect(await screen.findByText('Verdict taken back')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('sends the saved audit id and rev', async () => {
    const { client, user } = renderPanel();
    const audit = makeAudit({ item: makeItem(), input: { verdict: 'correct', errorTags: [] } }, { rev: 3 });
    client.requests.recordVerdict.answer = { kind: 'pending' };
    await user.keyboard('1');
    await act(async () => client.requests.recordVerdict.calls[0]?.resolve({ ok: true, audit }));
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(client.requests.undo.args).toEqual([{ auditId: audit.id, rev: 3 }]);
  });

  it('hides Undo once the window has passed, by the injected clock, and the key no longer undoes', async () => {
    let t = NOW;
    const { client, user } = renderPanel({ now: () => t, context: makePanelContext({ undoWindowMs: 80 }) });
    await user.keyboard('1');
    expect(await screen.findByRole('button', { name: 'Undo' })).toBeTruthy();
    // Real time passes but the panel's clock does not: still inside the window.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(screen.getByRole('button', { name: 'Undo' })).toBeTruthy();

    t = NOW + 80;
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull());
    await user.keyboard('{Control>}z{/Control}');
    expect(client.requests.undo.calls).toHaveLength(0);
  });

  it('shows why an undo failed', async () => {
    const { client, user } = renderPanel();
    client.requests.undo.answer = { kind: 'fail', error: { code: 'expired', message: 'Too late to take this verdict back.' } };
    await user.keyboard('1');
    await user.click(await screen.findByRole('button', { name: 'Undo' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Too late to take this verdict back.');
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('undoes on the host command too', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('1');
    await screen.findByRole('button', { name: 'Undo' });
    await command(client, { kind: 'undo' });
    expect(client.requests.undo.calls).toHaveLength(1);
  });
});

describe('item switch', () => {
  const second = () =>
    makePanelContext({ reading: { status: 'found', item: makeItem('MQ-1002'), problems: [] }, shownAt: NOW });

  it('stashes a dirty draft, starts the new item empty, and "Save to" sends the old item', async () => {
    let t = NOW;
    const { client, user } = renderPanel({ now: () => t });
    await user.keyboard('2m');
    await user.type(screen.getByLabelText('Note'), 'missed slur');
    t = NOW + 2_000;
    push(client, second());
    t = NOW + 9_000;

    const banner = screen.getByRole('group', { name: 'Unsaved verdict for MQ-1001' });
    expect(radio('Incorrect').getAttribute('aria-checked')).toBe('false');
    expect(tagOption(/missed violation/i).getAttribute('aria-selected')).toBe('false');
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('');
    expect(within(screen.getByRole('region', { name: 'Item on this page' })).getByText('MQ-1002')).toBeTruthy();

    await user.click(within(banner).getByRole('button', { name: 'Save to MQ-1001' }));
    expect(client.requests.recordVerdict.args).toEqual([
      {
        item: makeItem('MQ-1001'),
        input: { verdict: 'incorrect', errorTags: ['missed-violation'], note: 'missed slur', durationMs: 6_000 },
      },
    ]);
    await waitFor(() => expect(screen.queryByRole('group', { name: /unsaved verdict/i })).toBeNull());
    expect(statusText()).toContain('Saved');
  });

  it('Discard drops the stashed draft without a request', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('3');
    push(client, second());
    await user.click(screen.getByRole('button', { name: /discard/i }));
    expect(screen.queryByRole('group', { name: /unsaved verdict/i })).toBeNull();
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
  });

  it('resets a clean draft without a banner', async () => {
    const { client } = renderPanel();
    push(client, second());
    expect(screen.queryByRole('group', { name: /unsaved verdict/i })).toBeNull();
  });

  it('keeps the draft when the same item is pushed again (a field read later)', async () => {
    const { client, user } = renderPanel();
    await user.keyboard('2m');
    push(client, makePanelContext({ reading: { status: 'found', item: makeItem('MQ-1001', { queue: 'spam' }), problems: [] } }));
    expect(screen.queryByRole('group', { name: /unsaved verdict/i })).toBeNull();
    expect(tagOption(/missed violation/i).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{Enter}');
    expect(client.requests.recordVerdict.args[0]?.item.queue).toBe('spam');
  });
});

describe('history and today', () => {
  it('lists earlier verdicts on the item', () => {
    const audit = makeAudit(
      { item: makeItem(), input: { verdict: 'incorrect', errorTags: ['wrong-policy'], note: 'policy 4.2' } },
      { auditorId: 'qa-bo', rev: 2 },
    );
    renderPanel({ context: makePanelContext({ history: [audit] }) });
    const history = screen.getByRole('region', { name: 'Earlier verdicts on this item' });
    const entry = within(history).getByRole('listitem');
    expect(entry.textContent).toContain('Incorrect');
    expect(entry.textContent).toContain('Wrong policy');
    expect(entry.textContent).toContain('qa-bo');
    expect(entry.textContent).toContain('rev 2');
    expect(entry.textContent).toContain('policy 4.2');
    expect(within(history).getByText(/2025/)).toBeTruthy();
  });

  it('says when there are none', () => {
    renderPanel();
    expect(screen.getByText('No earlier verdicts on this item.')).toBeTruthy();
  });

  it('shows today against the quota', () => {
    renderPanel({ context: makePanelContext({ today: { day: '2025-11-22', audited: 30, quota: 120 } }) });
    expect(screen.getByText('Audited today: 30')).toBeTruthy();
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('30');
    expect(bar.getAttribute('aria-valuemax')).toBe('120');
    expect(screen.getByText('30 / 120')).toBeTruthy();
  });

  it('has no progress bar without a quota', () => {
    renderPanel();
    expect(screen.getByText('Audited today: 12')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});

describe('help', () => {
  it('opens with ?, lists command and tag keys, and Escape returns focus', async () => {
    const { user } = renderPanel();
    radio('Correct').focus();
    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Ctrl+Z')).toBeTruthy();
    expect(within(dialog).getByText('Alt+L')).toBeTruthy();
    expect(within(dialog).getByText('Missed violation')).toBeTruthy();
    expect(within(dialog).getByText('M')).toBeTruthy();
    expect(dialog.contains(document.activeElement)).toBe(true);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(radio('Correct'));
  });

  it('opens on the host command, and keys behind it do nothing', async () => {
    const { client, user } = renderPanel();
    await command(client, { kind: 'help' });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    await user.keyboard('1');
    expect(client.requests.recordVerdict.calls).toHaveLength(0);
    await command(client, { kind: 'help' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('host commands', () => {
  it('a verdict from the host page saves without taking focus back', async () => {
    const { client } = renderPanel();
    await command(client, { kind: 'verdict', verdict: 'correct' });
    expect(client.requests.recordVerdict.args[0]?.input.verdict).toBe('correct');
    expect(await screen.findByText('Saved')).toBeTruthy();
    expect(client.returnFocusCalls).toBe(0);
  });

  it('tags and save from the host page', async () => {
    const { client } = renderPanel();
    await command(client, { kind: 'toggle-tag', tagId: 'wrong-policy' });
    expect(tagOption(/wrong policy/i).getAttribute('aria-selected')).toBe('true');
    await command(client, { kind: 'save' });
    expect(client.requests.recordVerdict.args[0]?.input).toMatchObject({ verdict: 'incorrect', errorTags: ['wrong-policy'] });
  });

  it('"unsure" from the host page focuses the note and asks for keyboard focus once applied', async () => {
    const { client } = renderPanel();
    await command(client, { kind: 'verdict', verdict: 'unsure' });
    expect(screen.getByRole('radio', { name: /unsure/i }).getAttribute('aria-checked')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText(/^note/i));
    expect(client.takeFocusCalls).toBe(1);
  });

  it('"incorrect" and tags from the host page leave focus on the page', async () => {
    const { client } = renderPanel();
    await command(client, { kind: 'verdict', verdict: 'incorrect' });
    await command(client, { kind: 'toggle-tag', tagId: 'wrong-policy' });
    expect(client.takeFocusCalls).toBe(0);
  });

  it('toggle-panel folds the panel', async () => {
    const { client } = renderPanel();
    await command(client, { kind: 'toggle-panel' });
    expect(client.requests.setLayout.args).toEqual([{ side: 'right', collapsed: true }]);
  });
});

describe('layout', () => {
  it('collapses and moves the panel through the client', async () => {
    const { client, user } = renderPanel();
    await user.click(screen.getByRole('button', { name: 'Collapse panel' }));
    await user.click(screen.getByRole('button', { name: 'Move panel to the left' }));
    expect(client.requests.setLayout.args).toEqual([
      { side: 'right', collapsed: true },
      { side: 'left', collapsed: false },
    ]);
  });

  it('renders only a narrow bar when collapsed', async () => {
    const { client, user } = renderPanel({ context: makePanelContext({ layout: { side: 'left', collapsed: true } }) });
    expect(screen.getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Expand Loupe panel']);
    expect(screen.queryByRole('radio')).toBeNull();
    expect(screen.getByText('12')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Expand Loupe panel' }));
    expect(client.requests.setLayout.args).toEqual([{ side: 'left', collapsed: false }]);
  });

  it('still records host-page verdicts while collapsed, and shows failures', async () => {
    const { client } = renderPanel({ context: makePanelContext({ layout: { side: 'right', collapsed: true } }) });
    await command(client, { kind: 'verdict', verdict: 'correct' });
    expect(client.requests.recordVerdict.calls).toHaveLength(1);
    expect(await screen.findByText('Saved')).toBeTruthy();

    await command(client, { kind: 'verdict', verdict: 'incorrect' });
    await command(client, { kind: 'save' });
    expect(screen.getByRole('alert').textContent).toContain('Pick at least one error tag for an incorrect verdict');
    expect(client.requests.recordVerdict.calls).toHaveLength(1);
  });
});

describe('sync line', () => {
  /** The line shows clock times in this machine's locale and zone, as people read them. */
  const clock = (at: number) => new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(at);
  const line = () => screen.getByTestId('sync-line');
  const shown = () => line().querySelector('[aria-hidden="true"]')?.textContent;

  it('says nothing about sync when it is not set up', () => {
    renderPanel({ context: makePanelContext({ sync: { ...makeSyncSummary({ pending: 4 }), configured: false } }) });
    expect(screen.queryByTestId('sync-line')).toBeNull();
    expect(screen.queryByText(/sync/i)).toBeNull();
  });

  it.each([
    ['waiting', { pending: 3 }, '3 to sync', /3 verdicts waiting to be sent\. Not synced yet\./],
    ['waiting past the count cap', { pending: 1000, pendingCapped: true }, '1,000+ to sync', /1,000\+ verdicts waiting to be sent/],
    ['synced', { lastSuccessAt: NOW }, `Synced ${clock(NOW)}`, /Everything is sent\. Last synced/],
    ['never synced, nothing waiting', {}, 'Nothing to sync yet', /Nothing has been sent yet/],
    [
      'offline',
      { pending: 2, problem: { kind: 'offline' as const, message: 'Offline: verdicts wait here and are sent when the connection is back.' } },
      'Offline · 2 waiting',
      /^Offline: verdicts wait here/,
    ],
    [
      'retrying after a server error',
      { pending: 5, problem: { kind: 'server' as const, message: 'Server problem: HTTP 503, retrying at 08:05.', retryAt: NOW + 300_000 } },
      'Sync retrying · 5 waiting',
      /HTTP 503/,
    ],
  ])('%s: a quiet line, full sentence in the tooltip', (_name, sync, short, full) => {
    renderPanel({ context: makePanelContext({ sync: makeSyncSummary(sync) }) });
    expect(shown()).toBe(short);
    expect(line().getAttribute('title')).toMatch(full);
    expect(line().className).toContain('loupe-sync--quiet');
    // Routine changes are not announced after every verdict: the line holds no live text.
    expect(within(line()).getByRole('status').textContent).toBe('');
  });

  it.each([
    [
      'token refused',
      { pausedForAuth: true, pending: 4, problem: { kind: 'auth' as const, message: 'The endpoint refused the token (HTTP 401).' } },
      'Sync paused: token refused',
      /the endpoint refused the token\. Change it in Loupe’s options\. 4 verdicts waiting/,
    ],
    ['paused without a problem row', { pausedForAuth: true }, 'Sync paused: token refused', /refused the token/],
    [
      'no access',
      { problem: { kind: 'no-permission' as const, message: 'Loupe has no access to http://127.0.0.1.' } },
      'Sync paused: no access',
      /no access to the endpoint/,
    ],
    ['rejected', { rejected: 2, pending: 1 }, '2 rejected', /2 verdicts were rejected by the endpoint and kept here: retry or export them from the toolbar popup/],
  ])('%s: a warning, announced once', (_name, sync, short, full) => {
    renderPanel({ context: makePanelContext({ sync: makeSyncSummary(sync) }) });
    expect(shown()).toBe(short);
    expect(line().className).toContain('loupe-sync--warning');
    expect(line().getAttribute('title')).toMatch(full);
    expect(within(line()).getByRole('status').textContent).toMatch(full);
  });

  it('follows the contexts the worker pushes', () => {
    const { client } = renderPanel({ context: makePanelContext({ sync: makeSyncSummary({ pending: 1 }) }) });
    expect(shown()).toBe('1 to sync');
    push(client, makePanelContext({ sync: makeSyncSummary({ lastSuccessAt: NOW }) }));
    expect(shown()).toBe(`Synced ${clock(NOW)}`);
    push(client, makePanelContext({ sync: makeSyncSummary({ rejected: 1 }) }));
    expect(shown()).toBe('1 rejected');
    expect(line().getAttribute('title')).toMatch(/^1 verdict was rejected/);
  });

  it('gives a date for a sync on another day', () => {
    const yesterday = NOW - 26 * 3_600_000;
    renderPanel({ context: makePanelContext({ sync: makeSyncSummary({ lastSuccessAt: yesterday }) }) });
    const date = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(yesterday);
    expect(shown()).toBe(`Synced ${date}`);
  });
});
