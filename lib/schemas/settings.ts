import { z } from 'zod';
import { LOCALE_CHOICES } from '../i18n/locales';
import { DEFAULT_HOTKEYS, hotkeysSchema } from './hotkeys';
import { siteProfileSchema } from './site-profile';
import { DEFAULT_TAXONOMY, taxonomySchema } from './taxonomy';

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** DESIGN.md "Sync contract v1": `https:` only, `http:` only for the local machine. */
export function isAllowedEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export const syncSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  endpoint: z
    .string()
    .trim()
    .max(2048)
    .refine(isAllowedEndpoint, 'use an https:// address (http:// only for localhost or 127.0.0.1), with no query')
    .optional(),
});

/** Everything a team configures. The sync token is not here: it never leaves the worker's storage. */
export const settingsSchema = z
  .strictObject({
    /** Who is auditing; verdicts are not recorded until it is set. */
    auditorId: z.string().trim().min(1).max(128).optional(),
    /** Accuracy the team aims for, as a fraction. */
    kpiTarget: z.number().min(0.5).max(1).default(0.95),
    /** Audits an analyst is expected to do in a day; shown as progress in the panel. */
    dailyQuota: z.number().int().min(1).max(100_000).optional(),
    /** IANA time zone that decides what "today" is; the browser's when unset. */
    timeZone: z.string().refine(isValidTimeZone, 'not a time zone this browser knows').optional(),
    /** How long after a verdict Mod+Z can take it back. */
    undoWindowMs: z.number().int().min(0).max(120_000).default(10_000),
    /** Remind the analyst to rest after this many minutes of auditing without a break; 0 turns it off. */
    breakReminderMinutes: z.number().int().min(0).max(240).default(50),
    /**
     * The language of Loupe's pages (issue 7); absent means `auto`, the browser's. Optional rather than defaulted,
     * so settings stored and exported before it existed read back and compare as they were.
     */
    locale: z.enum(LOCALE_CHOICES).optional(),
    taxonomy: taxonomySchema.default(DEFAULT_TAXONOMY),
    siteProfiles: z.array(siteProfileSchema).max(100).default([]),
    hotkeys: hotkeysSchema.default(DEFAULT_HOTKEYS),
    sync: syncSettingsSchema.default({ enabled: false }),
  })
  .superRefine((settings, ctx) => {
    const ids = new Set<string>();
    settings.siteProfiles.forEach((profile, index) => {
      if (ids.has(profile.id)) {
        ctx.addIssue({ code: 'custom', path: ['siteProfiles', index, 'id'], message: `site id "${profile.id}" is used twice` });
      }
      ids.add(profile.id);
    });
    const commandKeys = new Map<string, string>();
    for (const [command, key] of Object.entries(settings.hotkeys)) {
      const normal = key.toLowerCase();
      const other = commandKeys.get(normal);
      if (other) {
        ctx.addIssue({ code: 'custom', path: ['hotkeys', command], message: `"${key}" is already the key for ${other}` });
      }
      commandKeys.set(normal, command);
    }
    settings.taxonomy.tags.forEach((tag, index) => {
      const other = tag.hotkey ? commandKeys.get(tag.hotkey.toLowerCase()) : undefined;
      if (other) {
        ctx.addIssue({
          code: 'custom',
          path: ['taxonomy', 'tags', index, 'hotkey'],
          message: `"${tag.hotkey}" is already the key for ${other}`,
        });
      }
    });
  });
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export const SETTINGS_BUNDLE_SCHEMA = 'loupe.settings/1';

/** The import/export document: the whole settings, never the token. */
export const settingsBundleSchema = z.strictObject({
  schema: z.literal(SETTINGS_BUNDLE_SCHEMA),
  exportedAt: z.iso.datetime().optional(),
  settings: settingsSchema,
});
export type SettingsBundle = z.infer<typeof settingsBundleSchema>;

/**
 * How the labeling page's pictures and videos are shown (issue 7, Wellbeing): as they are, blurred, or in grey,
 * until the analyst reveals one. See lib/content/media-shield.ts.
 */
export const MEDIA_MODES = ['shown', 'blurred', 'grey'] as const;
export const mediaModeSchema = z.enum(MEDIA_MODES);
export type MediaMode = z.infer<typeof mediaModeSchema>;

/** Where the panel sits on one site, remembered per site (not exported: it is one person's preference). */
export const panelLayoutSchema = z.strictObject({
  side: z.enum(['right', 'left']),
  collapsed: z.boolean(),
  /**
   * The media shield on this site. Optional rather than defaulted: layouts stored before it existed are read back
   * from the database as they are, without a parse, so "absent" must keep meaning 'shown' everywhere.
   */
  media: mediaModeSchema.optional(),
});
export type PanelLayout = z.infer<typeof panelLayoutSchema>;
export const DEFAULT_PANEL_LAYOUT: PanelLayout = { side: 'right', collapsed: false };
