/**
 * Loupe's content script is registered at run time for the enabled sites whose origin the user granted, never
 * declared for all sites in the manifest. Registrations were seen to vanish after a browser restart
 * (TOOLCHAIN.md), so the worker reconciles them on every start and after every settings, permission or media
 * shield change.
 *
 * Beside it, for the sites whose media shield is on, a stylesheet of the shield's mode (issue 7): the content script
 * runs at `document_idle`, after the page's first paint, so on a full page load the pictures would show until it
 * had covered them. Content-script CSS is in the page before any of it is displayed, and steps aside once
 * lib/content/media-shield.ts has put its own covers in place (see public/media-shield/).
 */
import type { browser } from 'wxt/browser';
import type { LoupeDatabase } from '../db';
import { originPatternOf } from '../match-pattern';
import type { MediaMode, Settings } from '../schemas';

export const LABELING_SCRIPT_ID = 'loupe-labeling';
export const LABELING_SCRIPT_FILE = 'content-scripts/labeling.js';

type ShieldedMode = Exclude<MediaMode, 'shown'>;

/** One stylesheet per shield mode, each registered for exactly the sites in that mode. */
export const EARLY_SHIELD_STYLES: Readonly<Record<ShieldedMode, { id: string; file: string }>> = {
  blurred: { id: 'loupe-media-shield-blurred', file: 'media-shield/blurred.css' },
  grey: { id: 'loupe-media-shield-grey', file: 'media-shield/grey.css' },
};
const SHIELDED_MODES = Object.keys(EARLY_SHIELD_STYLES) as ShieldedMode[];

/** Each site's media shield (site id → mode); a site that is not in it shows its pictures. */
export type SiteMediaModes = ReadonlyMap<string, MediaMode>;

export interface RegistrationApis {
  scripting: Pick<
    typeof browser.scripting,
    'getRegisteredContentScripts' | 'registerContentScripts' | 'updateContentScripts' | 'unregisterContentScripts'
  >;
  permissions: Pick<typeof browser.permissions, 'contains'>;
}

type Registration = Parameters<RegistrationApis['scripting']['updateContentScripts']>[0][number] & { id: string; matches: string[] };

/** The sites' shield modes as stored with their panel layouts. */
export async function loadSiteMediaModes(db: Pick<LoupeDatabase, 'layouts'>): Promise<SiteMediaModes> {
  return new Map((await db.layouts.toArray()).map(({ siteId, layout }) => [siteId, layout.media ?? 'shown']));
}

/** The match patterns of enabled sites that Loupe may run on now. */
export async function grantedSitePatterns(permissions: RegistrationApis['permissions'], settings: Settings): Promise<string[]> {
  const patterns = [...new Set(settings.siteProfiles.filter((p) => p.enabled).flatMap((p) => p.match))];
  const granted = await Promise.all(
    patterns.map(async (pattern) => {
      const origin = originPatternOf(pattern);
      return origin !== null && (await permissions.contains({ origins: [origin] }));
    }),
  );
  return patterns.filter((_, index) => granted[index]);
}

const sameList = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((item, index) => item === b[index]);

/**
 * Registers, updates or unregisters one script so that it is `wanted` (null: not registered). Leaves a registration
 * that is already as wanted alone: the worker syncs at every start and settings change, most of which change nothing.
 */
async function reconcile(apis: RegistrationApis, id: string, wanted: Registration | null): Promise<void> {
  const [existing] = await apis.scripting.getRegisteredContentScripts({ ids: [id] });
  if (!wanted) {
    if (existing) await apis.scripting.unregisterContentScripts({ ids: [id] });
    return;
  }
  if (!existing) {
    await apis.scripting.registerContentScripts([{ ...wanted, persistAcrossSessions: true }]);
    return;
  }
  const unchanged =
    sameList(existing.matches, wanted.matches) &&
    sameList(existing.js, wanted.js) &&
    sameList(existing.css, wanted.css) &&
    existing.runAt === wanted.runAt &&
    existing.allFrames === wanted.allFrames;
  if (!unchanged) await apis.scripting.updateContentScripts([wanted]);
}

/**
 * Makes the registered content script match exactly the granted enabled sites, and each early shield stylesheet
 * exactly those of them whose shield is in its mode; returns the content script's patterns.
 */
export async function syncLabelingScript(apis: RegistrationApis, settings: Settings, media: SiteMediaModes = new Map()): Promise<string[]> {
  const matches = await grantedSitePatterns(apis.permissions, settings);
  const granted = new Set(matches);
  await reconcile(
    apis,
    LABELING_SCRIPT_ID,
    matches.length === 0 ? null : { id: LABELING_SCRIPT_ID, js: [LABELING_SCRIPT_FILE], matches, runAt: 'document_idle', allFrames: false },
  );
  for (const mode of SHIELDED_MODES) {
    const { id, file } = EARLY_SHIELD_STYLES[mode];
    const sites = settings.siteProfiles.filter((profile) => profile.enabled && media.get(profile.id) === mode);
    const shielded = [...new Set(sites.flatMap((profile) => profile.match))].filter((pattern) => granted.has(pattern));
    // Top frames only, as the content script: in a frame it never runs in, nothing would ever take the cover away.
    // Chrome puts content-script CSS in before the page's DOM whatever `runAt` says; Firefox puts it in at `runAt`.
    await reconcile(apis, id, shielded.length === 0 ? null : { id, css: [file], matches: shielded, runAt: 'document_start', allFrames: false });
  }
  return matches;
}
