/**
 * How the panel names keys and failures. Its words are in the panel catalogs under lib/i18n/catalogs/ (and the verdicts,
 * severities and item fields every page shares in common.ts), read through ./i18n.ts.
 */
import { parseHotkey } from '@/lib/hotkeys';

/** `aria-keyshortcuts` spells keys as in the ARIA spec ("Control+Z", "Meta+Z"), not as people read them. */
export function ariaKeyShortcut(hotkey: string, isMac: boolean): string | undefined {
  const parsed = parseHotkey(hotkey);
  if (!parsed) return undefined;
  const key = parsed.key === ' ' ? 'Space' : [...parsed.key].length === 1 ? parsed.key.toUpperCase() : parsed.key;
  return [parsed.mod ? (isMac ? 'Meta' : 'Control') : '', parsed.alt ? 'Alt' : '', parsed.shift ? 'Shift' : '', key]
    .filter(Boolean)
    .join('+');
}

/**
 * Whether a hotkey may fire while the analyst types in a text field: chords (Mod, Alt) and named keys (Enter)
 * cannot be text, a bare character ("1", "m", "?") is.
 */
export function worksWhileTyping(hotkey: string | undefined): boolean {
  const parsed = hotkey ? parseHotkey(hotkey) : null;
  if (!parsed) return false;
  return parsed.mod || parsed.alt || [...parsed.key].length > 1;
}

export function messageOf(error: unknown, fallback: string): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return fallback;
}
