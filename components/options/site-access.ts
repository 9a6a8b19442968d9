/** Asking the browser for access to a site's pages, and what to tell the person about it. */
import type { SiteProfile } from '../../lib/schemas';
import { originsForProfile } from '../../lib/site-permissions';
import type { StatusMessage } from './Field';
import { englishOptionsTranslator, type OptionsT } from './i18n';
import type { GrantAccess } from './types';

/** `https://tool.example.com/*` → `https://tool.example.com`, as people read an origin. */
export function originLabel(originPattern: string): string {
  return originPattern.replace(/\/\*$/, '');
}

export function refusalMessage(profile: SiteProfile, t: OptionsT['t'] = englishOptionsTranslator.t): string {
  return t('options.access.refused', { origins: originsForProfile(profile).map(originLabel).join(', ') });
}

/** The browser could not show the prompt at all (as opposed to the person saying no). */
export function askFailedMessage(error: unknown, t: OptionsT['t'] = englishOptionsTranslator.t): StatusMessage {
  return { kind: 'error', text: t('options.access.askFailed', { error: String(error) }) };
}

/**
 * Asks for access to `profile`'s pages and says how it went. Call it straight from the click handler, with no
 * await before it: `grantAccess` calls permissions.request at once, and the browser only prompts within the
 * click's user gesture.
 */
export function askAccess(
  profile: SiteProfile,
  grantAccess: GrantAccess,
  say: (status: StatusMessage) => void,
  t: OptionsT['t'] = englishOptionsTranslator.t,
): void {
  grantAccess(profile).then(
    (granted) =>
      say(
        granted
          ? { kind: 'success', text: t('options.access.granted', { site: profile.name }) }
          : { kind: 'error', text: refusalMessage(profile, t) },
      ),
    (error: unknown) => say(askFailedMessage(error, t)),
  );
}
