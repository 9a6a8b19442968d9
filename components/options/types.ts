import type { Settings, SettingsInput, SiteProfile } from '../../lib/schemas';
import type { Issue } from './form-issues';

export type SaveResult =
  | { ok: true; settings: Settings; notified: boolean }
  /** `issues` when the settings failed validation (nothing stored); `error` when storing them failed. */
  | { ok: false; issues: Issue[]; error: string | null };

/**
 * Validates, stores and announces the whole settings. A section passes a change to apply to the latest saved
 * settings (not the ones it rendered with), so a save that waited on a permission prompt cannot undo another
 * section's save.
 */
export type SaveSettings = (change: SettingsChange) => Promise<SaveResult>;

/** A change to make to the latest saved settings. */
export type SettingsChange = (current: Settings) => SettingsInput;

export type SiteAccess = 'checking' | 'granted' | 'needed' | 'unknown';

/** Calls permissions.request synchronously: call it straight from a click or change handler. */
export type GrantAccess = (profile: SiteProfile) => Promise<boolean>;

