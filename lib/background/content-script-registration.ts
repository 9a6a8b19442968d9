/**
 * Loupe's content script is registered at run time for the enabled sites whose origin the user granted, never
 * declared for all sites in the manifest. Registrations were seen to vanish after a browser restart
 * (TOOLCHAIN.md), so the worker reconciles them on every start and after every settings or permission change.
 */
import type { browser } from 'wxt/browser';
import { originPatternOf } from '../match-pattern';
import type { Settings } from '../schemas';

export const LABELING_SCRIPT_ID = 'loupe-labeling';
export const LABELING_SCRIPT_FILE = 'content-scripts/labeling.js';

export interface RegistrationApis {
  scripting: Pick<
    typeof browser.scripting,
    'getRegisteredContentScripts' | 'registerContentScripts' | 'updateContentScripts' | 'unregisterContentScripts'
  >;
  permissions: Pick<typeof browser.permissions, 'contains'>;
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

/** Makes the registered content script match exactly the granted enabled sites; returns the patterns. */
export async function syncLabelingScript(apis: RegistrationApis, settings: Settings): Promise<string[]> {
  const matches = await grantedSitePatterns(apis.permissions, settings);
  const existing = await apis.scripting.getRegisteredContentScripts({ ids: [LABELING_SCRIPT_ID] });
  if (matches.length === 0) {
    if (existing.length > 0) await apis.scripting.unregisterContentScripts({ ids: [LABELING_SCRIPT_ID] });
    return [];
  }
  const script = { id: LABELING_SCRIPT_ID, js: [LABELING_SCRIPT_FILE], matches, runAt: 'document_idle' as const, allFrames: false };
  if (existing.length > 0) await apis.scripting.updateContentScripts([script]);
  else await apis.scripting.registerContentScripts([{ ...script, persistAcrossSessions: true }]);
  return matches;
}
