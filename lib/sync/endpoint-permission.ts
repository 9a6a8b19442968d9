/**
 * Host permission for the sync endpoint. Loupe ships with no host permission (DESIGN.md, "Rules that hold
 * everywhere"): the endpoint's origin is asked for at run time, when the user saves it (or tests it), as an
 * `optional_host_permissions` grant. Without it the browser treats the worker's requests as cross-origin and
 * the reference receiver (server/routes.ts) answers no CORS to them.
 */
import { isAllowedEndpoint } from '../schemas';
import type { PermissionsContains, PermissionsRequest } from '../site-permissions';

/**
 * `https://sync.example.com/loupe` → `https://sync.example.com/*`. Browsers grant hosts, not paths, and ignore
 * ports in host permissions. Null for an address sync may not use.
 */
export function endpointOrigin(endpoint: string): string | null {
  if (!isAllowedEndpoint(endpoint)) return null;
  const url = new URL(endpoint);
  return `${url.protocol}//${url.hostname}/*`;
}

/** Whether the endpoint's origin is granted; false for an address sync may not use. */
export async function hasEndpointPermission(permissions: PermissionsContains, endpoint: string): Promise<boolean> {
  const origin = endpointOrigin(endpoint);
  if (!origin) return false;
  return permissions.contains({ origins: [origin] });
}

/**
 * Asks the browser for the endpoint's origin; resolves to whether the user granted it.
 *
 * Call this synchronously from the click (or submit) handler, with no `await` before it: browsers only show the
 * prompt during a user gesture, and Firefox drops the gesture at the first `await`. So `request` is the first
 * thing this function calls, and it is not itself async.
 */
export function requestEndpointPermission(permissions: PermissionsRequest, endpoint: string): Promise<boolean> {
  const origin = endpointOrigin(endpoint);
  if (!origin) return Promise.resolve(false);
  try {
    return permissions.request({ origins: [origin] });
  } catch (error) {
    // Some polyfills and fakes throw synchronously instead of rejecting; callers handle one shape.
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
