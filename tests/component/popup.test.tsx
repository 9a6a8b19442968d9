import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { Popup } from '../../components/popup/Popup';
import { LoupeDatabase } from '../../lib/db';
import { DEFAULT_SETTINGS, type Audit, type Settings, type SiteProfile } from '../../lib/schemas';
import { saveSettings } from '../../lib/settings-store';

const NOW = Date.UTC(2026, 10, 22, 15); // 2026-11-22 15:00 UTC
const DAY_START = Date.UTC(2026, 10, 22);

const SITE: SiteProfile = {
  id: 'labeldesk',
  name: 'LabelDesk',
  enabled: true,
  match: ['https://labeldesk.example.com/task/*'],
  fields: { itemId: { from: 'url', pattern: '/task/(\\w+)', group: 1 } },
  keepParams: [],
};

function audit(overrides: Partial<Audit>): Audit {
  const createdAt = overrides.createdAt ?? DAY_START + 60_000;
  return {
    id: crypto.randomUUID(),
    rev: 1,
    createdAt,
    updatedAt: createdAt,
    deleted: false,
    siteId: 'labeldesk',
    itemId: crypto.randomUUID(),
    itemUrl: 'https://labeldesk.example.com/task/1',
    auditorId: 'ana',
    verdict: 'correct',
    errorTags: [],
    taxonomyVersion: 1,
    ...overrides,
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

async function seed(settings: Partial<Settings>) {
  await saveSettings(db, { ...DEFAULT_SETTINGS, ...settings });
}

function renderPopup() {
  const openOptions = vi.fn(async () => {});
  const user = userEvent.setup();
  render(<Popup db={db} now={() => NOW} openOptions={openOptions} />);
  return { user, openOptions };
}

describe('Popup', () => {
  it('on first run explains what to do and opens options to set up a site', async () => {
    await seed({ auditorId: 'ana' });
    const { user, openOptions } = renderPopup();
    expect(screen.getByRole('status').textContent).toContain('Loading');
    expect(await screen.findByRole('heading', { name: 'Welcome to Loupe' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Set up a site' }));
    expect(openOptions).toHaveBeenCalledTimes(1);
  });

  it('counts a disabled site as not set up', async () => {
    await seed({ auditorId: 'ana', siteProfiles: [{ ...SITE, enabled: false }] });
    renderPopup();
    expect(await screen.findByRole('button', { name: 'Set up a site' })).toBeTruthy();
  });

  it('asks for the auditor id when it is missing', async () => {
    await seed({ siteProfiles: [SITE] });
    const { user, openOptions } = renderPopup();
    await user.click(await screen.findByRole('button', { name: 'Set your auditor id' }));
    expect(openOptions).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('heading', { name: 'Today' })).toBeNull();
  });

  it('shows zero when nothing was audited today', async () => {
    await seed({ auditorId: 'ana', siteProfiles: [SITE], timeZone: 'UTC' });
    await db.audits.add(audit({ createdAt: DAY_START - 1 })); // yesterday
    renderPopup();
    expect(await screen.findByRole('heading', { name: 'Today' })).toBeTruthy();
    expect(screen.getByTestId('today-count').textContent).toBe('0 audits');
    expect(screen.getByText(/None recorded yet today by ana \(2026-11-22\)/)).toBeTruthy();
  });

  it('counts this auditor’s live audits of today, in the configured time zone, and follows new ones', async () => {
    // In Tokyo (UTC+9) the 22nd ends at 15:00 UTC: NOW is already the 23rd there.
    await seed({ auditorId: 'ana', siteProfiles: [SITE], timeZone: 'Asia/Tokyo', dailyQuota: 40 });
    const tokyoDayStart = Date.UTC(2026, 10, 22, 15);
    await db.audits.bulkAdd([
      audit({ createdAt: tokyoDayStart }),
      audit({ createdAt: tokyoDayStart + 10 }),
      audit({ createdAt: tokyoDayStart - 1 }), // the 22nd in Tokyo
      audit({ createdAt: tokyoDayStart + 20, auditorId: 'bo' }),
      audit({ createdAt: tokyoDayStart + 30, deleted: true, deletedAt: tokyoDayStart + 40 }),
    ]);
    render(<Popup db={db} now={() => NOW + 60_000} openOptions={async () => {}} />);
    expect(await screen.findByText('2026-11-23', { exact: false })).toBeTruthy();
    expect(screen.getByTestId('today-count').textContent).toBe('2 audits of 40');

    await db.audits.add(audit({ createdAt: tokyoDayStart + 50 }));
    await screen.findByText('3', { selector: '.popup__number' });
    expect(screen.getByTestId('today-count').textContent).toBe('3 audits of 40');
  });

  it('says so when the database is unavailable', async () => {
    // What Chromium answers when the user blocks storage for the extension (DESIGN.md).
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    });
    renderPopup();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Loupe’s database is not available');
    expect(alert.textContent).toContain('denied permission');
    expect(screen.queryByRole('heading', { name: 'Today' })).toBeNull();
  });

  it('says so when the stored settings are invalid', async () => {
    await db.settings.put({ key: 'settings', value: { ...DEFAULT_SETTINGS, kpiTarget: 9 } });
    renderPopup();
    expect((await screen.findByRole('alert')).textContent).toContain('kpiTarget');
  });

  it('links to options through the browser by default', async () => {
    await seed({ auditorId: 'ana', siteProfiles: [SITE] });
    const open = vi.spyOn(fakeBrowser.runtime, 'openOptionsPage').mockResolvedValue(undefined);
    vi.spyOn(window, 'close').mockImplementation(() => {});
    const user = userEvent.setup();
    render(<Popup db={db} now={() => NOW} />);
    await screen.findByRole('heading', { name: 'Today' });
    await user.click(screen.getByRole('link', { name: 'Options' }));
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('shows why options could not be opened', async () => {
    await seed({ auditorId: 'ana', siteProfiles: [SITE] });
    const user = userEvent.setup();
    render(<Popup db={db} now={() => NOW} openOptions={() => Promise.reject(new Error('no window'))} />);
    await user.click(await screen.findByRole('link', { name: 'Options' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Could not open the options page: no window');
  });
});
