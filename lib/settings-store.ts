/**
 * Reading and writing the settings (one row in the extension's database) and the import/export bundle.
 * Every write is validated first; a file that fails validation changes nothing.
 */
import { z } from 'zod';
import type { LoupeDatabase } from './db';
import {
  DEFAULT_PANEL_LAYOUT,
  DEFAULT_SETTINGS,
  SETTINGS_BUNDLE_SCHEMA,
  settingsBundleSchema,
  settingsSchema,
  type PanelLayout,
  type Settings,
  type SettingsBundle,
  type SettingsInput,
} from './schemas';

const SETTINGS_KEY = 'settings';

export class SettingsInvalidError extends Error {
  constructor(readonly problems: string[]) {
    super(`The settings are not valid:\n${problems.join('\n')}`);
    this.name = 'SettingsInvalidError';
  }
}

/** Zod issues as sentences a person can act on: `siteProfiles › 1 › match › 0: write a match pattern like …`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? `${issue.path.map(String).join(' › ')}: ` : '';
    return `${where}${issue.message}`;
  });
}

export async function loadSettings(db: LoupeDatabase): Promise<Settings> {
  const row = await db.settings.get(SETTINGS_KEY);
  if (!row) return DEFAULT_SETTINGS;
  const parsed = settingsSchema.safeParse(row.value);
  // A stored row only ever comes from saveSettings, which validated it; failing here means a schema change
  // without a migration. Say so rather than silently replacing someone's sites and taxonomy with defaults.
  if (!parsed.success) throw new SettingsInvalidError(describeIssues(parsed.error));
  return parsed.data;
}

function sameTags(a: Settings['taxonomy'], b: Settings['taxonomy']): boolean {
  return JSON.stringify(a.tags) === JSON.stringify(b.tags);
}

/**
 * Validates and stores `input`. When the taxonomy's tags changed and its version was not raised, the version is
 * raised by one, so audits always name the list of tags they were made with.
 */
export async function saveSettings(db: LoupeDatabase, input: SettingsInput): Promise<Settings> {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) throw new SettingsInvalidError(describeIssues(parsed.error));
  const next = parsed.data;
  return db.transaction('rw', db.settings, async () => {
    const current = await loadSettings(db);
    const taxonomy =
      !sameTags(current.taxonomy, next.taxonomy) && next.taxonomy.version <= current.taxonomy.version
        ? { ...next.taxonomy, version: current.taxonomy.version + 1 }
        : next.taxonomy;
    const saved: Settings = { ...next, taxonomy };
    await db.settings.put({ key: SETTINGS_KEY, value: saved });
    return saved;
  });
}

export function exportSettingsBundle(settings: Settings, now: number = Date.now()): string {
  const bundle: SettingsBundle = {
    schema: SETTINGS_BUNDLE_SCHEMA,
    exportedAt: new Date(now).toISOString(),
    settings,
  };
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

export type BundleParse = { ok: true; settings: Settings } | { ok: false; problems: string[] };

/** Parses an import file; never throws. */
export function parseSettingsBundle(text: string): BundleParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`The file is not JSON (${(error as Error).message}).`] };
  }
  if (typeof json === 'object' && json !== null && 'schema' in json && json.schema !== SETTINGS_BUNDLE_SCHEMA) {
    return {
      ok: false,
      problems: [`This is not a Loupe settings file: "schema" is ${JSON.stringify(json.schema)}, expected "${SETTINGS_BUNDLE_SCHEMA}".`],
    };
  }
  const parsed = settingsBundleSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error) };
  return { ok: true, settings: parsed.data.settings };
}

export async function loadLayout(db: LoupeDatabase, siteId: string): Promise<PanelLayout> {
  return (await db.layouts.get(siteId))?.layout ?? DEFAULT_PANEL_LAYOUT;
}

export async function saveLayout(db: LoupeDatabase, siteId: string, layout: PanelLayout): Promise<void> {
  await db.layouts.put({ siteId, layout });
}
