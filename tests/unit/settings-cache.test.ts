/**
 * lib/background/settings-cache.ts against fake-indexeddb: the worker's parsed copy of the settings is read once,
 * and never outlives a write to them, whichever context (here: whichever Dexie instance of the same database)
 * made it.
 */
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsCache, touchesTable, type SettingsCache } from '../../lib/background/settings-cache';
import { LoupeDatabase } from '../../lib/db';
import { DEFAULT_SETTINGS, type Settings } from '../../lib/schemas';
import { loadSettings, saveSettings } from '../../lib/settings-store';

let db: LoupeDatabase;
let reads: number;
let cache: SettingsCache;
/** Another context's connection to the same database (the options page's). */
let other: LoupeDatabase;

const countingLoad = (from: LoupeDatabase) => {
  reads += 1;
  return loadSettings(from);
};

beforeEach(async () => {
  db = new LoupeDatabase(`settings-cache-${crypto.randomUUID()}`);
  other = new LoupeDatabase(db.name);
  await saveSettings(db, { auditorId: 'qa-1' });
  reads = 0;
  cache = createSettingsCache(db, countingLoad);
});
afterEach(async () => {
  cache.close();
  other.close();
  await db.delete();
});

describe('the settings cache', () => {
  it('reads and parses the settings once for any number of messages', async () => {
    for (let i = 0; i < 20; i += 1) expect((await cache.load()).auditorId).toBe('qa-1');
    expect(reads).toBe(1);
  });

  it('drops its copy when the worker itself saves', async () => {
    await cache.load();
    await saveSettings(db, { auditorId: 'qa-2' });
    expect((await cache.load()).auditorId).toBe('qa-2');
  });

  it('drops its copy when another context saves, by the time that save has committed', async () => {
    await cache.load();
    await saveSettings(other, { auditorId: 'qa-3' });
    expect((await cache.load()).auditorId).toBe('qa-3');
  });

  it('drops its copy on any write to the settings table, not only through saveSettings', async () => {
    await cache.load();
    await other.settings.put({ key: 'settings', value: { ...DEFAULT_SETTINGS, auditorId: 'qa-4' } });
    expect((await cache.load()).auditorId).toBe('qa-4');
    await other.settings.clear();
    expect((await cache.load()).auditorId).toBeUndefined();
  });

  it('keeps its copy through writes to other tables and to other databases', async () => {
    await cache.load();
    await db.layouts.put({ siteId: 'modqueue', layout: { side: 'left', collapsed: false } });
    await db.wellbeing.put({ key: 'stretch', activeSince: 1, lastActiveAt: 1 });
    const elsewhere = new LoupeDatabase(`settings-cache-other-${crypto.randomUUID()}`);
    await saveSettings(elsewhere, { auditorId: 'someone-else' });
    await elsewhere.delete();
    expect((await cache.load()).auditorId).toBe('qa-1');
    expect(reads).toBe(1);
  });

  it('drops its copy when Dexie cannot say what changed', async () => {
    await cache.load();
    Dexie.on('storagemutated').fire({ all: { d: 0 } as never });
    await cache.load();
    expect(reads).toBe(2);
  });

  it('does not keep a read that was under way when a write landed', async () => {
    let release: (settings: Settings) => void = () => undefined;
    const slow = createSettingsCache(db, () => new Promise((resolve) => (release = resolve)));
    try {
      const before = slow.load();
      await saveSettings(other, { auditorId: 'qa-5' });
      release({ ...DEFAULT_SETTINGS, auditorId: 'qa-1' }); // what the read saw before the write
      expect((await before).auditorId).toBe('qa-1');
      const after = slow.load();
      release({ ...DEFAULT_SETTINGS, auditorId: 'qa-5' });
      expect((await after).auditorId).toBe('qa-5');
    } finally {
      slow.close();
    }
  });

  it('drops its copy when told (a page said it saved)', async () => {
    await cache.load();
    cache.invalidate();
    await cache.load();
    expect(reads).toBe(2);
  });

  it('does not remember a failed read', async () => {
    await db.settings.put({ key: 'settings', value: { auditorId: 42 } });
    await expect(cache.load()).rejects.toThrow(/not valid/);
    await expect(cache.load()).rejects.toThrow(/not valid/);
    expect(reads).toBe(2);
  });

  it('hands out a frozen copy, and leaves the defaults it may copy untouched', async () => {
    await db.settings.clear();
    const settings = await cache.load();
    expect(Object.isFrozen(settings) && Object.isFrozen(settings.taxonomy.tags[0])).toBe(true);
    expect(Object.isFrozen(DEFAULT_SETTINGS) || Object.isFrozen(DEFAULT_SETTINGS.taxonomy)).toBe(false);
  });

  it('stops following writes once closed', async () => {
    await cache.load();
    cache.close();
    await saveSettings(db, { auditorId: 'qa-7' });
    expect((await cache.load()).auditorId).toBe('qa-1');
  });
});

describe('touchesTable', () => {
  it.each([
    ['idb://loupe/settings/', true],
    ['idb://loupe/settings/:dels', true],
    ['idb://loupe/settingsArchive/', false],
    ['idb://loupe-2/settings/', false],
    ['idb://loupe/audits/', false],
    ['all', true],
  ])('%s: %s', (part, touches) => {
    expect(touchesTable({ [part]: { d: 0 } as never }, 'loupe', 'settings')).toBe(touches);
  });
});
