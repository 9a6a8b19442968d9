/**
 * The popup's calls to the browser and to the worker. Popup.tsx imports this module when a call is first made, not
 * before its first paint: it brings the webextension polyfill, which runs as soon as it loads (issue 4).
 */
import { browser } from 'wxt/browser';
import type { PageRequest } from '../../lib/protocol';

export function openOptionsPage(): Promise<unknown> {
  return browser.runtime.openOptionsPage();
}

export function sendSyncNow(): Promise<unknown> {
  const message: PageRequest<'page/sync-now'> = { type: 'page/sync-now' };
  return browser.runtime.sendMessage(message);
}

export function sendRefreshDayStats(): Promise<unknown> {
  const message: PageRequest<'page/refresh-day-stats'> = { type: 'page/refresh-day-stats' };
  return browser.runtime.sendMessage(message);
}
