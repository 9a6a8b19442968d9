/**
 * Site setup's UI (components/panel/SiteSetup*.tsx) with Testing Library, by role and label as a person finds
 * things. The client is an in-memory stand-in for the worker whose "page" is the Casebook fixture parsed in
 * happy-dom: picks are described and checks are read by the page script's own code (site-picker-session.ts), so
 * what the UI shows is what the real page would answer (DOMParser runs none of the page's scripts).
 */
import { act, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SiteSetup } from '../../components/panel/SiteSetup';
import { SiteSetupCheck } from '../../components/panel/SiteSetupCheck';
import { SiteSetupStart } from '../../components/panel/SiteSetupStart';
import { checkSources, describePicked } from '../../lib/content/site-picker-session';
import type { ItemReadingMessage } from '../../lib/protocol';
import type { ItemField, SiteProfile } from '../../lib/schemas';
import type { CheckAnswer, SetupClient, SetupConnection } from '../../lib/setup/setup-client';
import type { FieldSources, PickerWords, PickOutcome, SetupSaveReply, SetupStart } from '../../lib/setup/setup-protocol';
import type { StartSetupResult } from '../../lib/setup/start-setup';
import { renderCasebookCasePage } from '../fixtures/sites/casebook.mjs';
import { CASEBOOK_CASES } from '../fixtures/sites/catalog.mjs';

// Many user steps per test on a shared two-core machine: generous, and no timing is asserted.
vi.setConfig({ testTimeout: 30_000 });
configure({ asyncUtilTimeout: 10_000 });

const URL_4411 = 'http://127.0.0.1:5178/casebook/case/4411';
const START: SetupStart = { url: URL_4411, title: 'Case 4411 · Casebook', existing: null, takenIds: ['modqueue'], locale: 'auto' };

class FakeSetupClient implements SetupClient {
  readonly page = new DOMParser().parseFromString(renderCasebookCasePage(CASEBOOK_CASES[0]!), 'text/html');
  readonly picks: Array<ItemField | null> = [];
  /** What the picker on the page was told to say, per pick. */
  readonly pickerWords: Array<PickerWords | undefined> = [];
  readonly checked: FieldSources[] = [];
  /** Every call in order, to prove the browser was asked for access before anything was saved. */
  readonly calls: string[] = [];
  readonly saved: SiteProfile[] = [];
  access: boolean | Error = true;
  saveReply: (profile: SiteProfile) => SetupSaveReply = (profile) => ({ ok: true, profile: { ...profile, enabled: true }, enabled: true });
  cancelled = 0;
  private connection: SetupConnection = { state: 'connecting' };
  private connectionListeners = new Set<(c: SetupConnection) => void>();
  private pickListeners = new Set<(p: PickOutcome) => void>();
  url = URL_4411;

  onConnection(listener: (c: SetupConnection) => void) {
    this.connectionListeners.add(listener);
    listener(this.connection);
    return () => this.connectionListeners.delete(listener);
  }
  onPick(listener: (p: PickOutcome) => void) {
    this.pickListeners.add(listener);
    return () => this.pickListeners.delete(listener);
  }
  pick(field: ItemField | null, words?: PickerWords) {
    this.picks.push(field);
    this.pickerWords.push(words);
  }
  async check(sources: FieldSources): Promise<CheckAnswer> {
    this.checked.push(sources);
    return { checks: checkSources(sources, this.url, this.page) };
  }
  requestAccess(profile: Pick<SiteProfile, 'match'>): Promise<boolean> {
    this.calls.push(`access ${profile.match.join(' ')}`);
    return this.access instanceof Error ? Promise.reject(this.access) : Promise.resolve(this.access);
  }
  async save(profile: SiteProfile) {
    this.calls.push(`save ${profile.id}`);
    this.saved.push(profile);
    return this.saveReply(profile);
  }
  cancel() {
    this.cancelled += 1;
  }

  // What the worker and the page do:
  emit(connection: SetupConnection) {
    this.connection = connection;
    act(() => {
      for (const listener of this.connectionListeners) listener(connection);
    });
  }
  attach(start: SetupStart = START) {
    this.url = start.url;
    this.emit({ state: 'attached', start });
  }
  /** The user clicked `selector` on the page. */
  pickOn(field: ItemField, selector: string) {
    const element = this.page.querySelector(selector);
    if (!element) throw new Error(`${selector} is not on the Casebook page`);
    act(() => {
      for (const listener of this.pickListeners) listener({ outcome: 'picked', field, element: describePicked(element, this.page) });
    });
  }
  cancelPick(field: ItemField) {
    act(() => {
      for (const listener of this.pickListeners) listener({ outcome: 'cancelled', field });
    });
  }
}

function setup(start?: SetupStart) {
  const client = new FakeSetupClient();
  const user = userEvent.setup();
  render(<SiteSetup client={client} />);
  client.attach(start);
  return { client, user };
}

const reading = () => screen.getByTestId('setup-reading');

async function readingSays(text: string | RegExp) {
  await waitFor(() => expect(reading().textContent).toMatch(text));
}

async function pickStep(user: ReturnType<typeof userEvent.setup>, client: FakeSetupClient, field: ItemField, selector: string) {
  await user.click(screen.getByRole('button', { name: /^Pick (on the page|again)$/ }));
  expect(client.picks.at(-1)).toBe(field);
  client.pickOn(field, selector);
}

describe('connecting', () => {
  it('says it is connecting, then shows why a frame is refused', () => {
    const client = new FakeSetupClient();
    render(<SiteSetup client={client} />);
    expect(screen.getByRole('status').textContent).toBe('Connecting to Loupe…');
    client.emit({ state: 'refused', reason: { code: 'expired' } });
    expect(screen.getByText('This setup has ended. Start it again from the Loupe panel or the toolbar button.')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('setting up a site by pointing', () => {
  it('walks from the item id to saving: robust selectors, proposed patterns, live values', async () => {
    const { client, user } = setup();
    const heading = screen.getByRole('heading', { level: 2, name: /Item id/ });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByRole('list', { name: 'Setup steps' }).querySelector('[aria-current="step"]')?.textContent).toContain('Item id');

    await user.click(screen.getByRole('button', { name: 'Pick on the page' }));
    expect(client.picks).toEqual(['itemId']);
    expect(screen.getByText('Pointing at the item id on the page…')).toBeTruthy();
    client.pickOn('itemId', 'h1');
    expect((screen.getByLabelText('CSS selector') as HTMLInputElement).value).toBe('h1.cb-title');
    expect((screen.getByLabelText('Regular expression (optional)') as HTMLInputElement).value).toBe('#(\\d+)');
    expect(screen.getByText('h1 “Case #4411”')).toBeTruthy();
    await readingSays('Reads: “4411”');
    expect(reading().textContent).toContain('out of “Case #4411”');
    // Back on the step after the pick, for keyboard users.
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: /Item id/ }));

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('heading', { level: 2, name: /^Labeler/ })).toBeTruthy();
    await pickStep(user, client, 'labelerId', '.cb-byline');
    await readingSays('Reads: “rev-kim”');
    await user.click(screen.getByRole('button', { name: 'Next' }));

    await pickStep(user, client, 'labelerDecision', '.cb-pill');
    await readingSays('Reads: “Remove”');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(screen.getByRole('button', { name: 'Skip queue' }));

    expect(screen.getByRole('heading', { level: 2, name: 'Name and save' })).toBeTruthy();
    expect((screen.getByLabelText('Site name') as HTMLInputElement).value).toBe('Casebook');
    expect((screen.getByLabelText('Site id') as HTMLInputElement).value).toBe('casebook');
    expect((screen.getByLabelText('Pages') as HTMLTextAreaElement).value).toBe('http://127.0.0.1/casebook/*');
    const summary = screen.getByRole('list', { name: 'What each field reads on this page' });
    await waitFor(() => expect(summary.textContent).toContain('Reads: “Remove”'));
    expect(summary.textContent).toContain('Not read (skipped)');

    await user.click(screen.getByRole('button', { name: 'Save and turn on' }));
    await screen.findByText('Casebook is saved. Loupe runs on its pages from now on.');
    expect(client.calls).toEqual(['access http://127.0.0.1/casebook/*', 'save casebook']);
    expect(client.saved[0]).toEqual({
      id: 'casebook',
      name: 'Casebook',
      enabled: false,
      match: ['http://127.0.0.1/casebook/*'],
      fields: {
        itemId: { from: 'dom', selector: 'h1.cb-title', pattern: '#(\\d+)', group: 1 },
        labelerId: { from: 'dom', selector: 'p.cb-byline', pattern: '\\bby\\s+([^\\s,.;·|]+)', group: 1 },
        labelerDecision: { from: 'dom', selector: 'span.cb-pill', group: 1 },
      },
      keepParams: [],
    });
  });

  it('says no element was picked when there is no item id to go on with', async () => {
    const { client, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('alert').textContent).toContain('Pick the element that shows the item id first');
    expect(screen.getByRole('heading', { level: 2, name: /Item id/ })).toBeTruthy();
    expect(client.picks).toEqual([]);
  });

  it('says clearly when a selector matches several elements or none, is invalid, or a pattern finds nothing', async () => {
    const { client, user } = setup();
    await pickStep(user, client, 'itemId', 'h1');
    await readingSays('Reads: “4411”');
    const selector = screen.getByLabelText('CSS selector');
    const pattern = screen.getByLabelText('Regular expression (optional)');

    await user.clear(selector);
    await user.type(selector, 'button');
    await readingSays('This selector matches 2 elements; it must match exactly one.');
    await user.clear(selector);
    await user.type(selector, '.cb-reviewer');
    await readingSays('No element on this page matches this selector.');
    await user.clear(selector);
    await user.type(selector, 'h1[[');
    expect(selector.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('This is not a CSS selector the browser understands.')).toBeTruthy();

    await user.clear(selector);
    await user.type(selector, 'h1.cb-title');
    await user.clear(pattern);
    await user.type(pattern, 'Task (\\d+)');
    await readingSays('The regular expression finds nothing in “Case #4411”.');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('alert').textContent).toBe('The item id must read a value on this page before you go on.');

    await user.clear(pattern);
    await user.type(pattern, '#(\\d+');
    expect(pattern.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('This is not a valid regular expression.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('alert').textContent).toBe('Fix the problem marked above first.');

    await user.type(pattern, ')');
    await readingSays('Reads: “4411”');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('heading', { level: 2, name: /^Labeler/ })).toBeTruthy();
  });

  it('an optional field that reads nothing can be fixed or skipped, not kept', async () => {
    const { client, user } = setup();
    await pickStep(user, client, 'itemId', 'h1');
    await readingSays('Reads: “4411”');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await pickStep(user, client, 'labelerId', '.cb-byline');
    await readingSays('Reads: “rev-kim”');
    const selector = screen.getByLabelText('CSS selector');
    await user.clear(selector);
    await user.type(selector, '.gone');
    await readingSays('No element on this page matches');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('alert').textContent).toBe('This field reads nothing on this page: fix it, or skip it.');
    await user.click(screen.getByRole('button', { name: 'Skip labeler' }));
    expect(screen.getByRole('heading', { level: 2, name: /Labeler's decision/ })).toBeTruthy();
  });

  it('reads an attribute instead of the text when the user chooses one the element has', async () => {
    const { client, user } = setup();
    await pickStep(user, client, 'itemId', 'h1');
    await readingSays('Reads: “4411”');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    // The Casebook pill has a class attribute only; a data attribute would be offered the same way.
    client.page.querySelector('.cb-pill')?.setAttribute('data-decision', 'remove');
    await pickStep(user, client, 'labelerId', '.cb-pill');
    await user.selectOptions(screen.getByLabelText('Read'), 'data-decision');
    await readingSays('Reads: “remove”');
  });

  it('offers the page address when it holds the item id, and reads from there', async () => {
    const { client, user } = setup();
    await pickStep(user, client, 'itemId', 'h1');
    await readingSays('Reads: “4411”');
    await user.click(screen.getByRole('button', { name: 'Read it from the page address' }));
    expect((screen.getByLabelText('Regular expression on the page address') as HTMLInputElement).value).toBe('/case/([^/?#]+)');
    await readingSays('Reads: “4411”');
    await user.click(screen.getByRole('button', { name: 'Read it from the element instead' }));
    expect((screen.getByLabelText('CSS selector') as HTMLInputElement).value).toBe('h1.cb-title');
  });

  it('Esc on the page cancels pointing and says nothing was picked', async () => {
    const { client, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Pick on the page' }));
    client.cancelPick('itemId');
    expect(screen.getByText('Pointing cancelled: nothing was picked.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pick on the page' })).toBeTruthy();
  });

  it('"Stop pointing" tells the page to stop', async () => {
    const { client, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Pick on the page' }));
    await user.click(screen.getByRole('button', { name: 'Stop pointing' }));
    expect(client.picks).toEqual(['itemId', null]);
  });

  it('"Cancel setup" leaves setup', async () => {
    const { client, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Cancel setup' }));
    expect(client.cancelled).toBe(1);
  });
});

describe('saving', () => {
  async function toReview(client: FakeSetupClient, user: ReturnType<typeof userEvent.setup>) {
    await pickStep(user, client, 'itemId', 'h1');
    await readingSays('Reads: “4411”');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    for (const field of ['labeler', 'labeler’s decision', 'queue']) await user.click(screen.getByRole('button', { name: `Skip ${field}` }));
    await waitFor(() => expect(screen.getByRole('list', { name: 'What each field reads on this page' }).textContent).toContain('Reads: “4411”'));
  }

  it('shows the problems of the name, id and pages at their inputs, and saves nothing', async () => {
    const { client, user } = setup();
    await toReview(client, user);
    const id = screen.getByLabelText('Site id');
    await user.clear(id);
    await user.type(id, 'modqueue');
    const pages = screen.getByLabelText('Pages');
    await user.clear(pages);
    await user.type(pages, 'http://127.0.0.1/modqueue/*');
    await user.click(screen.getByRole('button', { name: 'Save and turn on' }));
    expect(screen.getByText('Another site already has this id.')).toBeTruthy();
    expect(screen.getByText('These pages do not include the page you are on: Loupe would never run here.')).toBeTruthy();
    expect(id.getAttribute('aria-invalid')).toBe('true');
    expect(pages.getAttribute('aria-invalid')).toBe('true');
    expect(client.calls).toEqual([]);
  });

  it('says it is saved but off when the browser refuses access, and the frame can be closed', async () => {
    const { client, user } = setup();
    client.access = false;
    client.saveReply = (profile) => ({ ok: true, profile, enabled: false });
    await toReview(client, user);
    await user.click(screen.getByRole('button', { name: 'Save and turn on' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'Casebook is saved, but the browser did not let Loupe read http://127.0.0.1, so Loupe is off there. Turn it on in Loupe options → Sites.',
    );
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(client.cancelled).toBe(1);
  });

  it('still saves (off) when the browser cannot show the prompt at all', async () => {
    const { client, user } = setup();
    client.access = new Error('This function must be called during a user gesture');
    client.saveReply = (profile) => ({ ok: true, profile, enabled: false });
    await toReview(client, user);
    await user.click(screen.getByRole('button', { name: 'Save and turn on' }));
    await screen.findByRole('alert');
    expect(client.calls).toEqual(['access http://127.0.0.1/casebook/*', 'save casebook']);
  });

  it('shows why the worker did not save', async () => {
    const { client, user } = setup();
    client.saveReply = () => ({ ok: false, problem: { code: 'id-taken', id: 'casebook' } });
    await toReview(client, user);
    await user.click(screen.getByRole('button', { name: 'Save and turn on' }));
    expect((await screen.findByRole('alert')).textContent).toBe('A site with the id “casebook” already exists: choose another id.');
  });

  it('sets an existing site up again from its profile, keeping its id', async () => {
    const existing: SiteProfile = {
      id: 'casebook',
      name: 'Casebook',
      enabled: true,
      match: ['http://127.0.0.1/casebook/*'],
      fields: { itemId: { from: 'url', pattern: '/case/(\\d+)', group: 1 }, labelerId: { from: 'dom', selector: '.cb-reviewer', group: 1 } },
      keepParams: [],
    };
    const { user } = setup({ ...START, existing, takenIds: ['modqueue'] });
    expect(screen.getByRole('heading', { level: 1, name: 'Set up Casebook again' })).toBeTruthy();
    expect((screen.getByLabelText('Regular expression on the page address') as HTMLInputElement).value).toBe('/case/(\\d+)');
    await readingSays('Reads: “4411”');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    // The profile's old labeler selector no longer matches this page: setup says so.
    await readingSays('No element on this page matches this selector.');
    await user.click(screen.getByRole('button', { name: 'Skip labeler' }));
    await user.click(screen.getByRole('button', { name: 'Skip labeler’s decision' }));
    await user.click(screen.getByRole('button', { name: 'Skip queue' }));
    expect(screen.queryByLabelText('Site id')).toBeNull();
    expect(screen.getByText('casebook')).toBeTruthy();
  });
});

describe('the panel\u2019s check on every item', () => {
  const found = (problems: ItemReadingMessage['problems']): ItemReadingMessage => ({
    status: 'found',
    item: { siteId: 'casebook', itemId: '4412', itemUrl: 'http://127.0.0.1:5178/casebook/case/4412' },
    problems,
  });

  it('names the fields that stopped matching and offers to set the site up again', async () => {
    const startSetup = vi.fn(async () => ({ ok: true as const }));
    const user = userEvent.setup();
    const noMatch = (selector: string) => ({ code: 'no-match' as const, selector });
    render(
      <SiteSetupCheck
        reading={found([{ field: 'labelerId', problem: noMatch('p.cb-byline') }, { field: 'queue', problem: noMatch('x') }])}
        startSetup={startSetup}
      />,
    );
    const region = screen.getByRole('region', { name: 'Site setup' });
    expect(within(region).getByRole('alert').textContent).toContain('This site’s setup did not match on this item: Labeler, Queue.');
    await user.click(within(region).getByRole('button', { name: 'Set up this site again' }));
    expect(startSetup).toHaveBeenCalledOnce();
  });

  it('is quiet when every field matched, and still offers setup', () => {
    render(<SiteSetupCheck reading={found([])} startSetup={async () => ({ ok: true })} />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('button', { name: 'Set up this site…' })).toBeTruthy();
  });

  it('says so when the item id itself stopped matching', () => {
    render(
      <SiteSetupCheck
        reading={{ status: 'missing', problems: [{ field: 'itemId', problem: { code: 'no-match', selector: 'h1.cb-title' } }] }}
        startSetup={async () => ({ ok: true })}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('did not match on this item: Item id.');
  });
});

describe('"Set up this site" (panel and popup)', () => {
  it('calls back once setup runs on the page, and shows why it could not start', async () => {
    const user = userEvent.setup();
    const onStarted = vi.fn();
    const startSetup = vi
      .fn<() => Promise<StartSetupResult>>()
      .mockResolvedValueOnce({
        ok: false,
        problem: { code: 'not-web-page' },
        message: 'Loupe can be set up on web pages only (addresses starting with http or https).',
      })
      .mockResolvedValueOnce({ ok: true });
    render(<SiteSetupStart startSetup={startSetup} onStarted={onStarted} />);
    await user.click(screen.getByRole('button', { name: 'Set up this site' }));
    expect((await screen.findByRole('alert')).textContent).toContain('web pages only');
    expect(onStarted).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Set up this site' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledOnce());
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
