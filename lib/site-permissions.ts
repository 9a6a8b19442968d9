/**
 * Host permissions for site profiles. Loupe ships with no host permission (DESIGN.md, "Rules that hold
 * everywhere"): each enabled site's origins are asked for at run time, as `optional_host_permissions`.
 * The permissions API is a parameter so the options page can be tested with a fake (WXT's fakeBrowser does not
 * implement `permissions`).
 */
import { originPatternOf } from './match-pattern';
import type { SiteProfile } from './schemas';

type OriginsRequest = { origins: string[] };

export interface PermissionsContains {
  contains(permissions: OriginsRequest): Promise<boolean>;
}

export interface PermissionsRequest {
  request(permissions: OriginsRequest): Promise<boolean>;
}

export type SitePermissionsApi = PermissionsContains & PermissionsRequest;

/** The origin patterns (`https://tool.example.com/*`) a profile's match patterns need, each once. */
export function originsForProfile(profile: Pick<SiteProfile, 'match'>): string[] {
  const origins = new Set<string>();
  for (const pattern of profile.match) {
    const origin = originPatternOf(pattern);
    if (origin) origins.add(origin);
  }
  return [...origins];
}

/** Whether every origin the profile needs is granted. A profile with no valid pattern has nothing to grant. */
export async function hasSitePermission(
  permissions: PermissionsContains,
  profile: Pick<SiteProfile, 'match'>,
): Promise<boolean> {
  const origins = originsForProfile(profile);
  if (origins.length === 0) return false;
  return permissions.contains({ origins });
}

/**
 * Asks the browser for the profile's origins; resolves to whether the user granted them.
 *
 * Call this synchronously from the click (or change) handler of the control the user operated, with no `await`
 * before it: Chrome and Firefox only show the prompt during a user gesture, and Firefox drops the gesture at the
 * first `await`. For the same reason the request is made before any other promise in this function.
 */
export function requestSitePermission(
  permissions: PermissionsRequest,
  profile: Pick<SiteProfile, 'match'>,
): Promise<boolean> {
  const origins = originsForProfile(profile);
  if (origins.length === 0) return Promise.resolve(false);
  try {
    return permissions.request({ origins });
  } catch (error) {
    // Some polyfills and fakes throw synchronously instead of rejecting; callers handle one shape.
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
