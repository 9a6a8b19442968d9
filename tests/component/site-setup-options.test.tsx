/**
 * Options → Sites → "Add a ready-made profile" (issue 7): a shipped profile for a known labeling tool, added on the
 * pages the person gives, turned on when the browser grants them in the same click.
 */
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OptionsApp } from '../../components/options/OptionsApp';
import { LoupeDatabase } from '../../lib/db';
import { READY_MADE_PROFILES } from '../../lib/profiles/ready-made';
import { DEFAULT_SETTINGS } from '../../lib/schemas';
import { loadSettings, saveSettings } from '../../lib/settings-store';

// Many user steps per test on a shared two-core machine: generous, and no timing is asserted.
vi.setConfig({ testTimeout: 30_000 });
configure({ asyncUtilTimeout: 10_000 });

/** WXT's fakeBrowser has no `permissions`: an in-memory one. */
function fakePermissions(answer = true) {
  const origins = new Set<string>();
  return {
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
  await db.delete();
});

async function openForm(permissions = fakePermissions()) {
  const user = userEvent.setup();
  render(<OptionsApp db={db} permissions={permissions} notifySettingsChanged={async () => ({ ok: true })} />);
  const sites = within(await screen.findByRole('region', { name: 'Sites' }));
  await user.click(sites.getByRole('button', { name: 'Add a ready-made profile' }));
  const form = within(sites.getByRole('form', { name: 'Add a ready-made profile' }));
  return { user, sites, form, permissions };
}

describe('Add a ready-made profile', () => {
  it('lists the shipped tools, focused on the form, with their pages prefilled', async () => {
    const { form } = await openForm();
    expect(document.activeElement?.textContent).toBe('Add a ready-made profile');
    for (const ready of READY_MADE_PROFILES) expect(form.getByRole('radio', { name: new RegExp(`^${ready.name}`) })).toBeTruthy();
    expect((form.getByLabelText('Pages') as HTMLTextAreaElement).value).toBe('http://127.0.0.1/modqueue/*');
  });

  it('adds the chosen tool on the person\u2019s pages and turns it on, asking the browser within the click', async () => {
    const { user, sites, form, permissions } = await openForm();
    await user.click(form.getByRole('radio', { name: /^LabelDesk/ }));
    const pages = form.getByLabelText('Pages');
    expect((pages as HTMLTextAreaElement).value).toBe('http://127.0.0.1/labeldesk/*');
    await user.clear(pages);
    await user.type(pages, 'https://labeldesk.example.com/*');
    // fireEvent dispatches synchronously: the prompt must have been asked for before the handler returned.
    fireEvent.click(form.getByRole('button', { name: 'Add and turn on' }));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://labeldesk.example.com/*'] });
    expect(await sites.findByText('LabelDesk is added and on. Loupe runs on its pages from their next load.')).toBeTruthy();
    const labeldesk = READY_MADE_PROFILES.find((p) => p.id === 'labeldesk')!;
    expect((await loadSettings(db)).siteProfiles).toEqual([
      { id: 'labeldesk', name: 'LabelDesk', enabled: true, match: ['https://labeldesk.example.com/*'], fields: labeldesk.fields, keepParams: [] },
    ]);
    expect(sites.queryByRole('form', { name: 'Add a ready-made profile' })).toBeNull();
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Add a ready-made profile'));
  });

  it('adds it turned off when the browser refuses access, and says so', async () => {
    const { user, sites, form } = await openForm(fakePermissions(false));
    await user.click(form.getByRole('button', { name: 'Add and turn on' }));
    expect((await sites.findByRole('alert')).textContent).toContain('ModQueue is added, but turned off.');
    await waitFor(async () => expect((await loadSettings(db)).siteProfiles).toMatchObject([{ id: 'modqueue', enabled: false }]));
  });

  it('gives a taken id a number of its own', async () => {
    const { fields } = READY_MADE_PROFILES[0]!;
    await saveSettings(db, { ...DEFAULT_SETTINGS, siteProfiles: [{ id: 'modqueue', name: 'ModQueue', enabled: false, match: ['https://a.example/*'], fields, keepParams: [] }] });
    const { user, form } = await openForm();
    await user.click(form.getByRole('button', { name: 'Add and turn on' }));
    await waitFor(async () => expect((await loadSettings(db)).siteProfiles.map((p) => [p.id, p.name])).toEqual([
      ['modqueue', 'ModQueue'],
      ['modqueue-2', 'ModQueue (2)'],
    ]));
  });

  it('refuses pages that are not match patterns, at the field, and adds nothing', async () => {
    const { user, form, permissions } = await openForm();
    const pages = form.getByLabelText('Pages');
    await user.clear(pages);
    await user.type(pages, 'https://ok.example/*{Enter}modqueue.example.com');
    await user.click(form.getByRole('button', { name: 'Add and turn on' }));
    expect(pages.getAttribute('aria-invalid')).toBe('true');
    expect(form.getByText(/Line 2: write a match pattern/)).toBeTruthy();
    expect(document.activeElement).toBe(pages);
    expect(permissions.request).not.toHaveBeenCalled();
    expect((await loadSettings(db)).siteProfiles).toEqual([]);

    await user.clear(pages);
    await user.click(form.getByRole('button', { name: 'Add and turn on' }));
    expect(form.getByText('Add at least one match pattern.')).toBeTruthy();
  });

  it('Cancel closes the form and adds nothing', async () => {
    const { user, sites, form } = await openForm();
    await user.click(form.getByRole('button', { name: 'Cancel' }));
    expect(sites.queryByRole('form', { name: 'Add a ready-made profile' })).toBeNull();
    expect((await loadSettings(db)).siteProfiles).toEqual([]);
  });
});
