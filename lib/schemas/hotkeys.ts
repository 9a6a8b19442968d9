import { z } from 'zod';

/**
 * A key chord as people write it: optional `Mod+` (Ctrl, or ⌘ on macOS), `Alt+`, `Shift+`, then one
 * `KeyboardEvent.key` value ("1", "m", "Enter", "?", "Escape"). Letters match either case.
 */
export const hotkeySchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^(?:(?:Mod|Alt|Shift)\+)*(?:[^\s+]|\+|[A-Z][A-Za-z0-9]+)$/, 'write a key like "1", "m", "Enter" or "Mod+z"');

/** The panel's commands and their keys. Tag keys live on the tags themselves. */
export const hotkeysSchema = z.strictObject({
  correct: hotkeySchema,
  incorrect: hotkeySchema,
  unsure: hotkeySchema,
  save: hotkeySchema,
  undo: hotkeySchema,
  help: hotkeySchema,
  togglePanel: hotkeySchema,
  /** Start pinning a note to the page (issue 5). Defaulted, so settings saved before it existed stay valid. */
  annotate: hotkeySchema.default('Alt+n'),
  /** Turn the media shield on or off for the site (issue 7); defaulted for settings saved before it existed. */
  shieldMedia: hotkeySchema.default('Alt+b'),
  /** Show every shielded picture of the item on screen, or shield them again. */
  revealMedia: hotkeySchema.default('Alt+v'),
});
export type Hotkeys = z.infer<typeof hotkeysSchema>;
export type HotkeyCommand = keyof Hotkeys;

export const DEFAULT_HOTKEYS: Hotkeys = {
  correct: '1',
  incorrect: '2',
  unsure: '3',
  save: 'Enter',
  undo: 'Mod+z',
  help: '?',
  togglePanel: 'Alt+l',
  annotate: 'Alt+n',
  shieldMedia: 'Alt+b',
  revealMedia: 'Alt+v',
};
