import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { OptionsApp } from '../../components/options/OptionsApp';
import { createNote, replyToNote } from '../../lib/notes/store';
import { LoupeDatabase } from '../../lib/db';
import { DEFAULT_SETTINGS, SETTINGS_BUNDLE_SCHEMA, type Settings, type SiteProfile } from '../../lib/schemas';
import { loadSettings, saveSettings } from '../../lib/settings-store';

const PROFILE: SiteProfile = {
  id: 'labeldesk',
  name: 'LabelDesk',
  enabled: false,
  match: ['https://labeldesk.example.com/task/*'],
  fields: { itemId: { from: 'url', pattern: '/task/(\\w+)', group: 1 } },
  keepParams: [],
};

/** An in-memory permissions API: WXT's fakeBrowser does not implement `permissions`. */
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
beforeEach(() => {
  db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

function renderOptions(props: Partial<Parameters<typeof OptionsApp>[0]> = {}) {
  const permissions = props.permissions ?? fakePermissions();
  const notify = vi.fn(async () => ({ ok: true }));
  const user = userEvent.setup();
  render(<OptionsApp db={db} permissions={permissions} notifySettingsChanged={notify} now={() => Date.UTC(2026, 10, 22, 12)} {...props} />);
  return { user, permissions, notify };
}

/** The text a screen reader reads after a control's name: its hint and its problem. */
function descriptionOf(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

async function section(name: string) {
  return within(await screen.findByRole('region', { name }));
}

async function seed(settings: Partial<Settings>) {
  await saveSettings(db, { ...DEFAULT_SETTINGS, ...settings });
}

describe('loading', () => {
  it('shows a loading state, then the settings', async () => {
    await seed({ auditorId: 'ana' });
    renderOptions();
    expect((screen.getByRole('status')).textContent).toContain('Loading settings');
    const you = await section('You');
    expect((you.getByLabelText('Auditor id') as HTMLInputElement).value).toBe('ana');
  });

  it('shows why stored settings cannot be read and overwrites nothing', async () => {
    const broken = { ...DEFAULT_SETTINGS, kpiTarget: 7 };
    await db.settings.put({ key: 'settings', value: broken });
    renderOptions();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Loupe could not read its settings');
    expect(alert.textContent).toContain('kpiTarget');
    expect(screen.queryByRole('region', { name: 'You' })).toBeNull();
    expect((await db.settings.get('settings'))?.value).toEqual(broken);
  });

  it('shows an error when the database cannot be opened', async () => {
    // What Chromium answers when the user blocks storage for the extension (DESIGN.md).
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    });
    renderOptions();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Loupe could not read its settings');
    expect(alert.textContent).toContain('denied permission');
    expect(screen.queryByRole('region', { name: 'You' })).toBeNull();
  });
});

describe('You', () => {
  it('saves the auditor id and tells the worker', async () => {
    const messages: unknown[] = [];
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      messages.push(message);
      return Promise.resolve({ ok: true });
    });
    const user = userEvent.setup();
    render(<OptionsApp db={db} permissions={fakePermissions()} />);
    const you = await section('You');
    await user.type(you.getByLabelText('Auditor id'), 'ana.r');
    expect(you.getByText('Unsaved changes')).toBeTruthy();
    await user.click(you.getByRole('button', { name: 'Save your details' }));
    expect(await you.findByText('Your details are saved.')).toBeTruthy();
    expect((await loadSettings(db)).auditorId).toBe('ana.r');
    expect(messages).toEqual([{ type: 'page/settings-changed' }]);
    expect(you.queryByText('Unsaved changes')).toBeNull();
    expect(you.queryByText(/reload them/)).toBeNull();
  });

  it('says open tabs update on reload when the worker cannot be told', async () => {
    const { user } = renderOptions({ notifySettingsChanged: () => Promise.reject(new Error('no receiver')) });
    const you = await section('You');
    await user.type(you.getByLabelText('Auditor id'), 'ana');
    await user.click(you.getByRole('button', { name: 'Save your details' }));
    expect(await you.findByText(/pick up the change when you reload them/)).toBeTruthy();
    expect((await loadSettings(db)).auditorId).toBe('ana');
  });

  it('stores the KPI target as a fraction and refuses one out of range at the field', async () => {
    const { user } = renderOptions();
    const you = await section('You');
    const kpi = you.getByLabelText('Accuracy target (%)');
    await user.clear(kpi);
    await user.type(kpi, '40');
    await user.click(you.getByRole('button', { name: 'Save your details' }));
    expect(kpi.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(kpi)).toContain('Enter a percentage from 50 to 100.');
    expect(document.activeElement).toBe(kpi);
    expect((await loadSettings(db)).kpiTarget).toBe(0.95);

    await user.clear(kpi);
    await user.type(kpi, '97.5');
    await user.click(you.getByRole('button', { name: 'Save your details' }));
    await you.findByText('Your details are saved.');
    expect((await loadSettings(db)).kpiTarget).toBe(0.975);
  });

  it('sets the break reminder, turns it off with 0, and refuses more than four hours', async () => {
    const { user } = renderOptions();
    const you = await section('You');
    const field = you.getByLabelText('Break reminder (minutes)');
    expect((field as HTMLInputElement).value).toBe('50');
    await user.clear(field);
    await user.type(field, '300');
    await user.click(you.getByRole('button', { name: 'Save your details' }));
    expect(descriptionOf(field)).toContain('Enter a whole number from 0 to 240.');
    expect((await loadSettings(db)).breakReminderMinutes).toBe(50);
    await user.clear(field);
    await user.type(field, '0');
    await user.click(you.getByRole('button', { name: 'Save your details' }));
    await you.findByText('Your details are saved.');
    expect((await loadSettings(db)).breakReminderMinutes).toBe(0);
  });

  it('refuses a time zone the browser does not know', async () => {
    const { user } = renderOptions();
    const you = await section('You');
    const zone = you.getByLabelText('Time zone');
    await user.type(zone, 'Mars/Olympus');
    await user.click(you.getByRole('button', { name: 'Save your details' }));
    await waitFor(() => expect(zone.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(zone)).toMatch(/not a time zone this browser knows/i);
    expect((await loadSettings(db)).timeZone).toBeUndefined();
  });
});

describe('Sites', () => {
  async function fillSite(user: ReturnType<typeof userEvent.setup>, regex: string) {
    const sites = await section('Sites');
    await user.click(sites.getByRole('button', { name: 'Add a site' }));
    const form = within(sites.getByRole('form', { name: 'Add a site' }));
    await user.type(form.getByLabelText('Site id'), 'modqueue');
    await user.type(form.getByLabelText('Name'), 'ModQueue');
    await user.type(form.getByLabelText('Match patterns'), 'https://mod.example.com/item/*');
    const itemId = within(form.getByRole('group', { name: 'Item id (required)' }));
    await user.click(itemId.getByLabelText('Regular expression'));
    await user.paste(regex);
    return { sites, form, itemId };
  }

  it('shows an invalid regular expression at its field and saves nothing', async () => {
    const { user } = renderOptions();
    const { form, itemId } = await fillSite(user, '/item/(\\d+');
    await user.click(form.getByRole('button', { name: 'Save site' }));
    const regex = itemId.getByLabelText('Regular expression');
    expect(regex.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(regex)).toContain('Not a valid regular expression');
    expect((form.getByRole('alert')).textContent).toContain('Not saved');
    expect((await loadSettings(db)).siteProfiles).toEqual([]);
  });

  it('shows an invalid CSS selector at its field and saves nothing', async () => {
    const { user } = renderOptions();
    const { form } = await fillSite(user, '/item/(\\d+)');
    const labeler = within(form.getByRole('group', { name: 'Labeler' }));
    await user.selectOptions(labeler.getByLabelText('Read from'), 'Page element');
    const selector = labeler.getByLabelText('CSS selector');
    await user.click(selector);
    await user.paste('[data-labeler');
    await user.click(form.getByRole('button', { name: 'Save site' }));
    expect(selector.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(selector)).toContain('is not a CSS selector');
    expect((await loadSettings(db)).siteProfiles).toEqual([]);
  });

  it('adds a site (disabled) and enabling it asks for its origin within the click', async () => {
    const permissions = fakePermissions();
    const { user } = renderOptions({ permissions });
    const { sites, form } = await fillSite(user, '/item/(\\d+)');
    await user.click(form.getByRole('button', { name: 'Save site' }));
    expect(await sites.findByText(/ModQueue is added/)).toBeTruthy();
    const saved = (await loadSettings(db)).siteProfiles;
    expect(saved).toMatchObject([{ id: 'modqueue', enabled: false, match: ['https://mod.example.com/item/*'] }]);
    expect(saved[0]?.fields.itemId).toEqual({ from: 'url', pattern: '/item/(\\d+)', group: 1 });

    const row = within(sites.getByRole('listitem', { name: 'ModQueue' }));
    expect(await row.findByText('Needs access')).toBeTruthy();
    // fireEvent dispatches synchronously: the request must have been made before the handler returned.
    fireEvent.click(row.getByRole('checkbox', { name: 'Run Loupe on ModQueue' }));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://mod.example.com/*'] });
    expect(await row.findByText('Access granted')).toBeTruthy();
    await waitFor(async () => expect((await loadSettings(db)).siteProfiles[0]?.enabled).toBe(true));
    expect((row.getByRole('checkbox', { name: 'Run Loupe on ModQueue' }) as HTMLInputElement).checked).toBe(true);
  });

  it('leaves a site off when access is refused', async () => {
    await seed({ siteProfiles: [PROFILE] });
    const permissions = fakePermissions({ answer: false });
    const { user } = renderOptions({ permissions });
    const sites = await section('Sites');
    const checkbox = sites.getByRole('checkbox', { name: 'Run Loupe on LabelDesk' });
    await user.click(checkbox);
    expect((await sites.findByRole('alert')).textContent).toContain(
      'Access refused: Loupe will not run on https://labeldesk.example.com',
    );
    expect((checkbox as HTMLInputElement).checked).toBe(false);
    expect((await loadSettings(db)).siteProfiles[0]?.enabled).toBe(false);
  });

  it('offers "Grant access" for an enabled site without access', async () => {
    await seed({ siteProfiles: [{ ...PROFILE, enabled: true }] });
    const permissions = fakePermissions();
    const { user } = renderOptions({ permissions });
    const sites = await section('Sites');
    await user.click(await sites.findByRole('button', { name: 'Grant access to LabelDesk' }));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://labeldesk.example.com/*'] });
    expect(await sites.findByText('Access granted')).toBeTruthy();
    expect(sites.queryByRole('button', { name: 'Grant access to LabelDesk' })).toBeNull();
  });

  it('edits a site', async () => {
    await seed({ siteProfiles: [PROFILE] });
    const { user } = renderOptions();
    const sites = await section('Sites');
    await user.click(sites.getByRole('button', { name: 'Edit LabelDesk' }));
    const form = within(sites.getByRole('form', { name: 'Edit LabelDesk' }));
    expect((form.getByLabelText('Site id')).hasAttribute('readonly')).toBe(true);
    await user.clear(form.getByLabelText('Name'));
    await user.type(form.getByLabelText('Name'), 'LabelDesk EU');
    await user.type(form.getByLabelText('Query parameters to keep'), 'lang, view');
    await user.click(form.getByRole('button', { name: 'Save site' }));
    await sites.findByText('LabelDesk EU is saved.');
    // Focus moves in an effect after the commit that shows the status: wait for it rather than race it.
    await waitFor(() => expect(document.activeElement).toBe(sites.getByRole('button', { name: 'Add a site' })));
    expect((await loadSettings(db)).siteProfiles).toMatchObject([{ id: 'labeldesk', name: 'LabelDesk EU', keepParams: ['lang', 'view'] }]);
  });

  it('asks before deleting a site', async () => {
    await seed({ siteProfiles: [PROFILE] });
    const { user } = renderOptions();
    const sites = await section('Sites');
    await user.click(sites.getByRole('button', { name: 'Delete LabelDesk' }));
    expect(document.activeElement).toBe(sites.getByRole('button', { name: 'Keep it' }));
    await user.click(sites.getByRole('button', { name: 'Keep it' }));
    expect(document.activeElement).toBe(sites.getByRole('button', { name: 'Delete LabelDesk' }));
    expect((await loadSettings(db)).siteProfiles).toHaveLength(1);

    await user.click(sites.getByRole('button', { name: 'Delete LabelDesk' }));
    await user.click(sites.getByRole('button', { name: 'Yes, delete LabelDesk' }));
    expect(await sites.findByText(/LabelDesk is deleted/)).toBeTruthy();
    expect((await loadSettings(db)).siteProfiles).toEqual([]);
    await waitFor(() => expect(document.activeElement).toBe(sites.getByRole('button', { name: 'Add a site' })));
  });
});

describe('keyboard only', () => {
  it('saves with Enter and turns a site on with Space', async () => {
    await seed({ siteProfiles: [PROFILE] });
    const permissions = fakePermissions();
    const { user } = renderOptions({ permissions });
    const you = await section('You');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('link', { name: 'You' }));
    you.getByLabelText('Auditor id').focus();
    await user.keyboard('ana{Enter}');
    await you.findByText('Your details are saved.');
    expect((await loadSettings(db)).auditorId).toBe('ana');

    const sites = await section('Sites');
    sites.getByRole('checkbox', { name: 'Run Loupe on LabelDesk' }).focus();
    await user.keyboard(' ');
    expect(permissions.request).toHaveBeenCalledTimes(1);
    await waitFor(async () => expect((await loadSettings(db)).siteProfiles[0]?.enabled).toBe(true));
  });
});

describe('Error tags', () => {
  it('saving an edit raises the taxonomy version', async () => {
    const { user } = renderOptions();
    const tags = await section('Error tags');
    expect((tags.getByTestId('taxonomy-version')).textContent).toContain('Taxonomy version 1');
    const label = tags.getByLabelText('Tag 1 label');
    await user.clear(label);
    await user.type(label, 'Missed harm');
    await user.click(tags.getByRole('button', { name: 'Save error tags' }));
    expect(await tags.findByText(/Taxonomy is now version 2/)).toBeTruthy();
    const stored = await loadSettings(db);
    expect(stored.taxonomy.version).toBe(2);
    expect(stored.taxonomy.tags[0]?.label).toBe('Missed harm');
    expect((tags.getByTestId('taxonomy-version')).textContent).toContain('Taxonomy version 2');
  });

  it('adds a tag with an id from its label and shows a clashing key at the field', async () => {
    const { user } = renderOptions();
    const tags = await section('Error tags');
    await user.click(tags.getByRole('button', { name: 'Add an error tag' }));
    expect(document.activeElement).toBe(tags.getByLabelText('Tag 8 label'));
    await user.type(tags.getByLabelText('Tag 8 label'), 'Spam missed');
    expect((tags.getByLabelText('Tag 8 id') as HTMLInputElement).value).toBe('spam-missed');
    await user.type(tags.getByLabelText('Tag 8 key'), 'm');
    await user.selectOptions(tags.getByLabelText('Tag 8 root cause'), 'Attention slip');
    await user.click(tags.getByRole('button', { name: 'Save error tags' }));
    const key = tags.getByLabelText('Tag 8 key');
    await waitFor(() => expect(key.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(key)).toContain('Hotkey "m" is used twice');
    expect((await loadSettings(db)).taxonomy.tags).toHaveLength(7);

    await user.clear(key);
    await user.type(key, 'x');
    await user.click(tags.getByRole('button', { name: 'Save error tags' }));
    await tags.findByText(/Taxonomy is now version 2/);
    expect((await loadSettings(db)).taxonomy.tags.at(-1)).toEqual({
      id: 'spam-missed',
      label: 'Spam missed',
      hotkey: 'x',
      rootCause: 'attention-slip',
    });
  });

  it('removes a tag', async () => {
    const { user } = renderOptions();
    const tags = await section('Error tags');
    await user.click(tags.getByRole('button', { name: 'Remove tag 7 (Tooling problem)' }));
    await user.click(tags.getByRole('button', { name: 'Save error tags' }));
    await tags.findByText(/Taxonomy is now version 2/);
    expect((await loadSettings(db)).taxonomy.tags.map((t) => t.id)).not.toContain('tooling-problem');
  });
});

describe('Severity weights', () => {
  const WEIGHTS = { minor: 1, major: 3, critical: 10 };

  async function fill(user: ReturnType<typeof userEvent.setup>, values: { minor: string; major: string; critical: string }) {
    const weights = await section('Severity weights');
    for (const [severity, label] of [['minor', 'Minor error weight'], ['major', 'Major error weight'], ['critical', 'Critical error weight']] as const) {
      const input = weights.getByLabelText(label);
      await user.clear(input);
      if (values[severity]) await user.type(input, values[severity]);
    }
    return weights;
  }

  it('starts empty, saves the weights and keeps the taxonomy version and tags', async () => {
    const { user } = renderOptions();
    expect(((await section('Severity weights')).getByLabelText('Minor error weight') as HTMLInputElement).value).toBe('');
    const weights = await fill(user, { minor: '1', major: '2,5', critical: '10' });
    expect(weights.getByText('Unsaved changes')).toBeTruthy();
    await user.click(weights.getByRole('button', { name: 'Save severity weights' }));
    expect(await weights.findByText('Severity weights saved.')).toBeTruthy();
    const stored = await loadSettings(db);
    expect(stored.taxonomy.severityWeights).toEqual({ minor: 1, major: 2.5, critical: 10 });
    expect(stored.taxonomy.version).toBe(1);
    expect(stored.taxonomy.tags).toEqual(DEFAULT_SETTINGS.taxonomy.tags);
    expect(weights.queryByText('Unsaved changes')).toBeNull();
  });

  it('keeps the weights when the error tags are saved', async () => {
    await seed({ taxonomy: { ...DEFAULT_SETTINGS.taxonomy, severityWeights: WEIGHTS } });
    const { user } = renderOptions();
    const tags = await section('Error tags');
    const label = tags.getByLabelText('Tag 1 label');
    await user.clear(label);
    await user.type(label, 'Missed harm');
    await user.click(tags.getByRole('button', { name: 'Save error tags' }));
    await tags.findByText(/Taxonomy is now version 2/);
    expect((await loadSettings(db)).taxonomy).toMatchObject({ version: 2, severityWeights: WEIGHTS });
  });

  it('shows each problem at its field in words, and saves nothing', async () => {
    const { user } = renderOptions();
    const weights = await fill(user, { minor: '', major: 'three', critical: '10' });
    await user.click(weights.getByRole('button', { name: 'Save severity weights' }));
    const minor = weights.getByLabelText('Minor error weight');
    const major = weights.getByLabelText('Major error weight');
    expect(minor.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(minor)).toContain('Enter a weight, or empty all three to turn weighting off.');
    expect(descriptionOf(major)).toContain('Enter a number, like 1 or 2.5.');
    expect(weights.getByLabelText('Critical error weight').getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement).toBe(minor);

    // A sign gets past the text check; the schema refuses it with its own words.
    await fill(user, { minor: '-1', major: '3', critical: '10' });
    await user.click(weights.getByRole('button', { name: 'Save severity weights' }));
    await waitFor(() => expect(minor.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(minor)).toContain('The minor weight cannot be below 0');
    expect(major.getAttribute('aria-invalid')).toBeNull();

    await fill(user, { minor: '0', major: '0', critical: '0' });
    await user.click(weights.getByRole('button', { name: 'Save severity weights' }));
    const alert = await weights.findByRole('alert');
    expect(alert.textContent).toContain('Give at least one severity a weight above 0');
    expect(alert.textContent).not.toContain('taxonomy ›');
    expect((await loadSettings(db)).taxonomy.severityWeights).toBeUndefined();
  });

  it('clears the weights from the keyboard', async () => {
    await seed({ taxonomy: { ...DEFAULT_SETTINGS.taxonomy, severityWeights: WEIGHTS } });
    const { user } = renderOptions();
    const weights = await section('Severity weights');
    expect((weights.getByLabelText('Critical error weight') as HTMLInputElement).value).toBe('10');
    weights.getByRole('button', { name: 'Clear the weights' }).focus();
    await user.keyboard('{Enter}');
    expect((weights.getByLabelText('Critical error weight') as HTMLInputElement).value).toBe('');
    weights.getByLabelText('Minor error weight').focus();
    await user.keyboard('{Enter}');
    expect(await weights.findByText(/Severity weights cleared/)).toBeTruthy();
    const stored = await loadSettings(db);
    expect(stored.taxonomy).not.toHaveProperty('severityWeights');
    expect(stored.taxonomy.version).toBe(1);
  });
});

describe('Keyboard', () => {
  it('shows a clash at the field and saves nothing', async () => {
    const { user } = renderOptions();
    const keys = await section('Keyboard');
    const incorrect = keys.getByLabelText('Mark incorrect');
    await user.clear(incorrect);
    await user.type(incorrect, '1');
    await user.click(keys.getByRole('button', { name: 'Save keys' }));
    await waitFor(() => expect(incorrect.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(incorrect)).toContain('"1" is already the key for correct');
    expect((await loadSettings(db)).hotkeys.incorrect).toBe('2');
  });

  it('says when a command key is an error tag’s key', async () => {
    const { user } = renderOptions();
    const keys = await section('Keyboard');
    const help = keys.getByLabelText('Show the keys');
    await user.clear(help);
    await user.type(help, 'm');
    await user.click(keys.getByRole('button', { name: 'Save keys' }));
    await waitFor(() => expect(help.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(help)).toContain('error tag “Missed violation”');
  });

  it('saves a key', async () => {
    const { user } = renderOptions();
    const keys = await section('Keyboard');
    const unsure = keys.getByLabelText('Mark unsure');
    await user.clear(unsure);
    await user.type(unsure, 'u');
    await user.click(keys.getByRole('button', { name: 'Save keys' }));
    await keys.findByText('Keys saved.');
    expect((await loadSettings(db)).hotkeys.unsure).toBe('u');
  });
});

describe('Import / export', () => {
  function file(text: string, name = 'team.json') {
    return new File([text], name, { type: 'application/json' });
  }

  it('lists the problems of a bad file and changes nothing', async () => {
    await seed({ auditorId: 'ana', siteProfiles: [PROFILE] });
    const before = (await db.settings.get('settings'))?.value;
    const { user } = renderOptions();
    const transfer = await section('Import / export');
    const bundle = { schema: SETTINGS_BUNDLE_SCHEMA, settings: { ...DEFAULT_SETTINGS, kpiTarget: 3, siteProfiles: [{ ...PROFILE, match: ['nope'] }] } };
    await user.upload(transfer.getByLabelText('Import settings file'), file(JSON.stringify(bundle)));
    const alert = await transfer.findByRole('alert');
    expect(alert.textContent).toContain('Nothing was imported: team.json has 2 problems');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('kpiTarget'),
      expect.stringContaining('siteProfiles › 0 › match › 0'),
    ]);
    expect((await db.settings.get('settings'))?.value).toEqual(before);
  });

  it('refuses a file that is not JSON', async () => {
    const { user } = renderOptions();
    const transfer = await section('Import / export');
    await user.upload(transfer.getByTestId('settings-import'), file('{ nope'));
    expect((await transfer.findByRole('alert')).textContent).toContain('The file is not JSON');
    expect(await db.settings.get('settings')).toBeUndefined();
  });

  it('imports a good bundle, keeps the auditor id and offers access to enabled sites', async () => {
    await seed({ auditorId: 'ana' });
    const permissions = fakePermissions();
    const { user, notify } = renderOptions({ permissions });
    const you = await section('You');
    await user.type(you.getByLabelText('Daily quota (optional)'), '5'); // an unsaved draft the import replaces
    const transfer = await section('Import / export');
    const bundle = {
      schema: SETTINGS_BUNDLE_SCHEMA,
      settings: { ...DEFAULT_SETTINGS, kpiTarget: 0.9, siteProfiles: [{ ...PROFILE, enabled: true }] },
    };
    await user.upload(transfer.getByLabelText('Import settings file'), file(JSON.stringify(bundle)));
    expect(await transfer.findByText(/Imported 1 site, 7 error tags/)).toBeTruthy();
    const stored = await loadSettings(db);
    expect(stored).toMatchObject({ auditorId: 'ana', kpiTarget: 0.9, siteProfiles: [{ id: 'labeldesk', enabled: true }] });
    expect(notify).toHaveBeenCalled();
    expect(((await section('You')).getByLabelText('Accuracy target (%)') as HTMLInputElement).value).toBe('90');
    expect(((await section('You')).getByLabelText('Daily quota (optional)') as HTMLInputElement).value).toBe('');

    await user.click(await transfer.findByRole('button', { name: 'Grant access to LabelDesk' }));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://labeldesk.example.com/*'] });
    await waitFor(() => expect(transfer.queryByRole('button', { name: 'Grant access to LabelDesk' })).toBeNull());
  });

  it('exports the saved settings as a dated JSON file', async () => {
    await seed({ auditorId: 'ana', timeZone: 'UTC' });
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:loupe-test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    let downloaded = '';
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloaded = this.download;
    });
    const { user } = renderOptions();
    const transfer = await section('Import / export');
    await user.click(transfer.getByRole('button', { name: 'Export settings' }));
    expect(downloaded).toBe('loupe-settings-2026-11-22.json');
    const bundle = JSON.parse(await created[0]!.text());
    expect(bundle).toMatchObject({ schema: SETTINGS_BUNDLE_SCHEMA, settings: { auditorId: 'ana' } });
  });
  it('exports every stored note, replies included, as one W3C Web Annotation collection', async () => {
    await seed({ auditorId: 'ana', timeZone: 'UTC' });
    const item = { siteId: 'labeldesk', itemId: 'LD-1', itemUrl: 'https://labeldesk.example.com/task/LD-1' };
    const note = await createNote(db, {
      item,
      authorId: 'ana',
      target: { kind: 'text', quote: { type: 'TextQuoteSelector', exact: 'ស្តី' } },
      body: 'Greeting, not a threat',
    });
    await replyToNote(db, { parentId: note.id, authorId: 'bo', acknowledged: true });
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:loupe-test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    let downloaded = '';
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloaded = this.download;
    });
    const { user } = renderOptions();
    const transfer = await section('Import / export');
    await user.click(transfer.getByRole('button', { name: /Export all notes/ }));
    await transfer.findByText('Exported 2 notes (replies included) to loupe-notes-2026-11-22.jsonld.');
    expect(downloaded).toBe('loupe-notes-2026-11-22.jsonld');
    const collection = JSON.parse(await created[0]!.text()) as { type: string; total: number; first: { items: Array<{ motivation: string; target: unknown }> } };
    expect(collection.type).toBe('AnnotationCollection');
    expect(collection.first.items.map((a) => a.motivation)).toEqual(['commenting', 'assessing']);
    expect(JSON.stringify(collection.first.items[0]!.target)).toContain('ស្តី');
  });
});
