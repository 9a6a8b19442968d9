import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { OptionsApp } from '../../components/options/OptionsApp';
import { SyncSection } from '../../components/options/SyncSection';
import type { SaveSettings } from '../../components/options/types';
import { LoupeDatabase } from '../../lib/db';
import { DEFAULT_SETTINGS, type Settings } from '../../lib/schemas';
import { exportSettingsBundle, loadSettings, saveSettings } from '../../lib/settings-store';
import { loadSyncStatus, loadSyncToken, saveSyncToken, updateSyncStatus } from '../../lib/sync/status';

const LOCAL = 'http://127.0.0.1:8787';
const TOKEN = 'lp_7Hq2-secret-token-value';

/** An in-memory permissions API (WXT's fakeBrowser does not implement `permissions`). */
function fakePermissions({ answer = true, granted = [] as string[] } = {}) {
  const origins = new Set(granted);
  return {
    origins,
    contains: vi.fn(async (request: { origins: string[] }) => request.origins.every((o) => origins.has(o))),
    request: vi.fn(async (request: { origins: string[] }) => {
      if (answer) for (const o of request.origins) origins.add(o);
      return answer;
    }),
  };
}

let db: LoupeDatabase;
let messages: unknown[];
beforeEach(() => {
  db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
  messages = [];
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    messages.push(message);
    return Promise.resolve({ ok: true });
  });
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

async function seed(settings: Partial<Settings>) {
  await saveSettings(db, { ...DEFAULT_SETTINGS, ...settings });
}

/** The whole options page, talking to the worker through (fake) runtime messaging as it does in the browser. */
function renderOptions(permissions = fakePermissions()) {
  const user = userEvent.setup();
  render(<OptionsApp db={db} permissions={permissions} />);
  return { user, permissions };
}

/** The section alone, with a fetch of the test's own; `save` stores as the options page does. */
async function renderSection({ permissions = fakePermissions(), fetchFn }: { permissions?: ReturnType<typeof fakePermissions>; fetchFn: typeof fetch }) {
  const save: SaveSettings = async (change) => {
    const saved = await saveSettings(db, change(await loadSettings(db)));
    return { ok: true, settings: saved, notified: true };
  };
  const user = userEvent.setup();
  render(
    <SyncSection
      settings={await loadSettings(db)}
      save={save}
      db={db}
      permissions={permissions}
      requestSync={async () => ({ ok: true })}
      fetchFn={fetchFn}
    />,
  );
  return { user, permissions, sync: within(screen.getByRole('region', { name: 'Sync' })) };
}

async function syncSection() {
  return within(await screen.findByRole('region', { name: 'Sync' }));
}

/** What a screen reader reads after a control's name: its hint and its problem. */
function descriptionOf(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

describe('endpoint', () => {
  it.each([
    ['not a url', /Enter a full address/],
    ['http://example.com', /Use https:\/\/\. Plain http:\/\/ is allowed only for localhost and 127\.0\.0\.1/],
    ['https://qa.example.com/?team=7', /Leave out the \?query/],
    ['https://bob:pw@qa.example.com', /Leave the user name and password out/],
    ['ftp://127.0.0.1', /Use an https:\/\/ address/],
  ])('refuses %s at the field, asks for nothing and saves nothing', async (endpoint, problem) => {
    const { user, permissions } = renderOptions();
    const sync = await syncSection();
    const field = sync.getByLabelText('Endpoint address');
    await user.type(field, endpoint);
    await user.click(sync.getByLabelText('Sync verdicts to this endpoint'));
    await user.click(sync.getByRole('button', { name: 'Save sync settings' }));
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(field)).toMatch(problem);
    expect(sync.getByRole('alert').textContent).toContain('Not saved');
    expect(document.activeElement).toBe(field);
    expect(permissions.request).not.toHaveBeenCalled();
    expect((await loadSettings(db)).sync).toEqual({ enabled: false });
    expect(messages).toEqual([]);
  });

  it('asks for an address before turning sync on', async () => {
    const { user } = renderOptions();
    const sync = await syncSection();
    await user.click(sync.getByLabelText('Sync verdicts to this endpoint'));
    await user.click(sync.getByRole('button', { name: 'Save sync settings' }));
    expect(descriptionOf(sync.getByLabelText('Endpoint address'))).toContain('Enter the endpoint address to turn sync on.');
    expect((await loadSettings(db)).sync).toEqual({ enabled: false });
  });

  it('accepts http://127.0.0.1:8787, asks for its origin within the click, saves, and tells the worker to sync', async () => {
    const { user, permissions } = renderOptions();
    const sync = await syncSection();
    await user.type(sync.getByLabelText('Endpoint address'), LOCAL);
    await user.click(sync.getByLabelText('Sync verdicts to this endpoint'));
    expect(screen.getByText('Unsaved changes in Sync')).toBeTruthy();
    // fireEvent dispatches synchronously: the request must have been made before the handler returned.
    fireEvent.click(sync.getByRole('button', { name: 'Save sync settings' }));
    expect(permissions.request).toHaveBeenCalledTimes(1);
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });

    expect(await sync.findByText(`Sync is on: verdicts are sent to ${LOCAL}.`)).toBeTruthy();
    expect((await loadSettings(db)).sync).toEqual({ enabled: true, endpoint: LOCAL });
    expect(messages).toEqual([{ type: 'page/settings-changed' }, { type: 'page/sync-now' }]);
    expect(screen.queryByText('Unsaved changes in Sync')).toBeNull();
  });

  it('says when the worker could not be told', async () => {
    const user = userEvent.setup();
    render(<OptionsApp db={db} permissions={fakePermissions()} notifySettingsChanged={() => Promise.reject(new Error('no receiver'))} />);
    const sync = await syncSection();
    await user.type(sync.getByLabelText('Endpoint address'), LOCAL);
    await user.click(sync.getByLabelText('Sync verdicts to this endpoint'));
    await user.click(sync.getByRole('button', { name: 'Save sync settings' }));
    expect(await sync.findByText(/background worker did not answer/)).toBeTruthy();
    expect((await loadSettings(db)).sync).toEqual({ enabled: true, endpoint: LOCAL });
  });

  it('accepts an https address with a path', async () => {
    const { user, permissions } = renderOptions();
    const sync = await syncSection();
    await user.type(sync.getByLabelText('Endpoint address'), '  https://qa.example.com/loupe  ');
    await user.click(sync.getByLabelText('Sync verdicts to this endpoint'));
    await user.click(sync.getByRole('button', { name: 'Save sync settings' }));
    await sync.findByText('Sync is on: verdicts are sent to https://qa.example.com/loupe.');
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://qa.example.com/*'] });
    expect((await loadSettings(db)).sync).toEqual({ enabled: true, endpoint: 'https://qa.example.com/loupe' });
  });

  it('keeps sync off and says so when access is refused', async () => {
    const permissions = fakePermissions({ answer: false });
    const { user } = renderOptions(permissions);
    const sync = await syncSection();
    await user.type(sync.getByLabelText('Endpoint address'), LOCAL);
    await user.click(sync.getByLabelText('Sync verdicts to this endpoint'));
    await user.click(sync.getByRole('button', { name: 'Save sync settings' }));
    const alert = await sync.findByRole('alert');
    expect(alert.textContent).toContain('Access to http://127.0.0.1 refused: sync stays off.');
    expect((await loadSettings(db)).sync).toEqual({ enabled: false, endpoint: LOCAL });
    expect((sync.getByLabelText('Sync verdicts to this endpoint') as HTMLInputElement).checked).toBe(false);
    expect(messages).toEqual([{ type: 'page/settings-changed' }]);
  });

  it('says so when the browser cannot ask at all, and saves nothing', async () => {
    const permissions = fakePermissions();
    permissions.request.mockImplementation(() => {
      throw new Error('permissions.request may only be called from a user input handler');
    });
    const { user } = renderOptions(permissions);
    const sync = await syncSection();
    await user.type(sync.getByLabelText('Endpoint address'), LOCAL);
    await user.click(sync.getByLabelText('Sync verdicts to this endpoint'));
    await user.click(sync.getByRole('button', { name: 'Save sync settings' }));
    expect((await sync.findByRole('alert')).textContent).toMatch(/Not saved: could not ask for access to http:\/\/127\.0\.0\.1 .*user input handler/);
    expect((await loadSettings(db)).sync).toEqual({ enabled: false });
  });

  it('turns sync off without asking for anything', async () => {
    await seed({ sync: { enabled: true, endpoint: LOCAL } });
    const { user, permissions } = renderOptions(fakePermissions({ granted: ['http://127.0.0.1/*'] }));
    const sync = await syncSection();
    expect((sync.getByLabelText('Endpoint address') as HTMLInputElement).value).toBe(LOCAL);
    await user.click(sync.getByLabelText('Sync verdicts to this endpoint'));
    await user.click(sync.getByRole('button', { name: 'Save sync settings' }));
    expect(await sync.findByText('Sync is off. Verdicts stay in this browser.')).toBeTruthy();
    expect(permissions.request).not.toHaveBeenCalled();
    expect((await loadSettings(db)).sync).toEqual({ enabled: false, endpoint: LOCAL });
  });

  it('offers to grant access again when it was taken back in the browser', async () => {
    await seed({ sync: { enabled: true, endpoint: LOCAL } });
    const { permissions } = renderOptions(fakePermissions());
    const sync = await syncSection();
    const needed = await sync.findByTestId('sync-access-needed');
    expect(needed.textContent).toContain('Loupe has no access to http://127.0.0.1');
    fireEvent.click(within(needed).getByRole('button', { name: 'Grant access to http://127.0.0.1' }));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
    expect(await sync.findByText('Access granted: sync resumes.')).toBeTruthy();
    expect(sync.queryByTestId('sync-access-needed')).toBeNull();
    expect(messages).toEqual([{ type: 'page/sync-now' }]);
  });

  it('says nothing about access when it is granted', async () => {
    await seed({ sync: { enabled: true, endpoint: LOCAL } });
    const permissions = fakePermissions({ granted: ['http://127.0.0.1/*'] });
    renderOptions(permissions);
    await syncSection();
    await waitFor(() => expect(permissions.contains).toHaveBeenCalled());
    expect(screen.queryByTestId('sync-access-needed')).toBeNull();
  });
});

describe('token', () => {
  it('stores a token out of the settings, shows only that one is set, and never exports it', async () => {
    const { user } = renderOptions();
    const sync = await syncSection();
    const token = within(sync.getByRole('group', { name: 'Token' }));
    expect(await token.findByText('No token is set. Requests are sent without one.')).toBeTruthy();
    await user.click(token.getByRole('button', { name: 'Add a token' }));
    const input = token.getByLabelText('Token') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.getAttribute('autocomplete')).toBe('off');
    expect(document.activeElement).toBe(input);
    await user.type(input, `${TOKEN}{Enter}`);

    expect(await token.findByText(/Token saved\./)).toBeTruthy();
    expect(await loadSyncToken(db)).toBe(TOKEN);
    expect(token.getByTestId('sync-token-state').textContent).toContain('A token is set');
    expect(messages).toEqual([{ type: 'page/sync-now' }]);
    // Not in the settings, not in their export, not on the page.
    const settings = await loadSettings(db);
    expect(JSON.stringify(settings)).not.toContain(TOKEN);
    expect(exportSettingsBundle(settings)).not.toContain(TOKEN);
    expect(document.body.textContent).not.toContain(TOKEN);
    expect([...document.querySelectorAll('input')].map((i) => i.value)).not.toContain(TOKEN);
    expect(document.activeElement).toBe(token.getByRole('button', { name: 'Replace token' }));
  });

  it('replaces and removes the token', async () => {
    await saveSyncToken(db, 'old-token-1234');
    const { user } = renderOptions();
    const token = within((await syncSection()).getByRole('group', { name: 'Token' }));
    await user.click(await token.findByRole('button', { name: 'Replace token' }));
    await user.type(token.getByLabelText('New token'), 'new-token-5678');
    await user.click(token.getByRole('button', { name: 'Save token' }));
    await token.findByText(/Token saved\./);
    expect(await loadSyncToken(db)).toBe('new-token-5678');

    await user.click(token.getByRole('button', { name: 'Remove token' }));
    expect(await token.findByText('Token removed. Requests are sent without a token.')).toBeTruthy();
    expect(await loadSyncToken(db)).toBeNull();
    expect(token.getByRole('button', { name: 'Add a token' })).toBeTruthy();
  });

  it('lifts a pause for a refused token when a new one is saved', async () => {
    await saveSyncToken(db, 'refused-token');
    await updateSyncStatus(db, { pausedForAuth: true, problem: { kind: 'auth', message: 'The endpoint refused the token (HTTP 401).' } });
    const { user } = renderOptions();
    const token = within((await syncSection()).getByRole('group', { name: 'Token' }));
    await user.click(await token.findByRole('button', { name: 'Replace token' }));
    await user.type(token.getByLabelText('New token'), 'fresh-token{Enter}');
    await token.findByText(/Token saved\./);
    expect((await loadSyncStatus(db)).pausedForAuth).toBe(false);
  });

  it.each([
    ['', 'Enter the token, or choose Cancel.'],
    ['has a space', 'A token is letters, digits and punctuation, with no spaces.'],
  ])('refuses %j at the field', async (typed, problem) => {
    const { user } = renderOptions();
    const token = within((await syncSection()).getByRole('group', { name: 'Token' }));
    await user.click(await token.findByRole('button', { name: 'Add a token' }));
    const input = token.getByLabelText('Token');
    if (typed) await user.type(input, typed);
    await user.click(token.getByRole('button', { name: 'Save token' }));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(input)).toContain(problem);
    expect(await loadSyncToken(db)).toBeNull();
  });

  it('cancels without saving', async () => {
    const { user } = renderOptions();
    const token = within((await syncSection()).getByRole('group', { name: 'Token' }));
    await user.click(await token.findByRole('button', { name: 'Add a token' }));
    await user.type(token.getByLabelText('Token'), 'half-typed');
    await user.click(token.getByRole('button', { name: 'Cancel' }));
    expect(token.queryByLabelText('Token')).toBeNull();
    expect(document.activeElement).toBe(token.getByRole('button', { name: 'Add a token' }));
    expect(await loadSyncToken(db)).toBeNull();
  });
});

describe('test connection', () => {
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

  it.each<[string, () => Promise<Response>, 'status' | 'alert', string]>([
    ['a Loupe endpoint', async () => json(200, { ok: true, schema: 'loupe.batch/1' }), 'status', 'Connected: the endpoint accepts Loupe batches'],
    ['a refused token', async () => json(401, { error: 'missing or wrong bearer token' }), 'alert', 'The endpoint refused the token (HTTP 401)'],
    ['another service', async () => new Response('not here', { status: 404 }), 'alert', 'That address answered, but not as a Loupe endpoint (HTTP 404)'],
    ['no server', () => Promise.reject(new TypeError('Failed to fetch')), 'alert', 'No answer from 127.0.0.1:8787 — is the server running?'],
  ])('%s', async (_name, answer, role, message) => {
    await saveSyncToken(db, TOKEN);
    const fetchFn = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) => answer());
    const { user, sync, permissions } = await renderSection({ fetchFn });
    await user.type(sync.getByLabelText('Endpoint address'), LOCAL);
    await user.click(sync.getByRole('button', { name: 'Test connection' }));
    const result = await sync.findByTestId('sync-test-result');
    expect(result.getAttribute('role')).toBe(role);
    expect(result.textContent).toBe(message);
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const [url, init] = fetchFn.mock.calls[0]!;
    expect(url).toBe(`${LOCAL}/v1/health`);
    expect(new Headers(init?.headers).get('Authorization')).toBe(`Bearer ${TOKEN}`);
    // Testing saves nothing.
    expect((await loadSettings(db)).sync).toEqual({ enabled: false });
  });

  it('asks for access within the click, and tests nothing when it is refused', async () => {
    const fetchFn = vi.fn(async () => json(200, { ok: true }));
    const permissions = fakePermissions({ answer: false });
    const { user, sync } = await renderSection({ fetchFn, permissions });
    await user.type(sync.getByLabelText('Endpoint address'), LOCAL);
    fireEvent.click(sync.getByRole('button', { name: 'Test connection' }));
    expect(permissions.request).toHaveBeenCalledTimes(1);
    expect((await sync.findByTestId('sync-test-result')).textContent).toBe(
      'Access to http://127.0.0.1 refused: Loupe cannot reach the endpoint without it.',
    );
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('says what to fix in the address without sending anything', async () => {
    const fetchFn = vi.fn(async () => json(200, { ok: true }));
    const { user, sync, permissions } = await renderSection({ fetchFn });
    await user.type(sync.getByLabelText('Endpoint address'), 'http://example.com');
    await user.click(sync.getByRole('button', { name: 'Test connection' }));
    expect((await sync.findByTestId('sync-test-result')).textContent).toMatch(/^Use https:\/\//);
    expect(permissions.request).not.toHaveBeenCalled();
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('says it is testing while the endpoint has not answered', async () => {
    let answer: (response: Response) => void = () => {};
    const fetchFn = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    const { user, sync } = await renderSection({ fetchFn });
    await user.type(sync.getByLabelText('Endpoint address'), LOCAL);
    await user.click(sync.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(fetchFn).toHaveBeenCalled());
    const statuses = () => sync.getAllByRole('status').map((s) => s.textContent).join(' ');
    expect(statuses()).toContain(`Testing ${LOCAL}…`);
    answer(json(200, { ok: true }));
    await waitFor(() => expect(statuses()).toContain('Connected: the endpoint accepts Loupe batches'));
  });
});
