/**
 * Hotkeys as written in settings ("Mod+z", "Alt+l", "Enter", "?", "1", see lib/schemas/hotkeys.ts) matched
 * against keyboard events. Pure and zod-free: the content script listens for them on the labeling page.
 */
import type { Hotkeys, Verdict } from './schemas';

export interface ParsedHotkey {
  /** A `KeyboardEvent.key` value: one character ("z", "?") or a key name ("Enter", "F2"). */
  key: string;
  /** Ctrl, or ⌘ on macOS. */
  mod: boolean;
  alt: boolean;
  shift: boolean;
}

export type PanelCommand =
  | { kind: 'verdict'; verdict: Verdict }
  | { kind: 'toggle-tag'; tagId: string }
  | { kind: 'save' }
  | { kind: 'undo' }
  | { kind: 'help' }
  | { kind: 'toggle-panel' }
  | { kind: 'annotate' }
  /** Turn the media shield on or off for the site: the panel stores it in the site's layout. */
  | { kind: 'shield-media' }
  /** Show or shield again every picture of the item: the page's own business, it never leaves the content script. */
  | { kind: 'reveal-media' };

export type HotkeyEvent = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'> & {
  /** Physical key ("KeyL"); used when Alt turns the typed character into another one (⌥L is "¬" on a Mac). */
  code?: string;
};

const MODIFIER_PREFIX = /^(Mod|Alt|Shift)\+(.+)$/s;
/** The key part of `hotkeySchema`: one character other than whitespace, or a capitalised key name. */
const KEY_PART = /^(?:[^\s+]|\+|[A-Z][A-Za-z0-9]+)$/;
/** `KeyboardEvent.key` for the space bar is " ", which the settings format cannot spell. */
const KEY_ALIASES: Record<string, string> = { Space: ' ' };

export function parseHotkey(text: string): ParsedHotkey | null {
  let rest = text.trim();
  const parsed: ParsedHotkey = { key: '', mod: false, alt: false, shift: false };
  for (let prefix = MODIFIER_PREFIX.exec(rest); prefix; prefix = MODIFIER_PREFIX.exec(rest)) {
    const [, modifier, remainder] = prefix;
    if (modifier === 'Mod') parsed.mod = true;
    else if (modifier === 'Alt') parsed.alt = true;
    else parsed.shift = true;
    rest = remainder ?? '';
  }
  if (!KEY_PART.test(rest)) return null;
  parsed.key = KEY_ALIASES[rest] ?? rest;
  return parsed;
}

/** One character that changes with Shift (a letter in a cased script). */
function isCasedCharacter(key: string): boolean {
  return [...key].length === 1 && key.toLowerCase() !== key.toUpperCase();
}

function isSingleCharacter(key: string): boolean {
  return [...key].length === 1;
}

/** The character a physical key types without modifiers on a US layout ("KeyL" → "l", "Digit1" → "1"). */
function baseCharacterOf(code: string | undefined): string | undefined {
  const match = code ? /^(?:Key([A-Z])|Digit([0-9]))$/.exec(code) : null;
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? '').toLowerCase();
}

export function eventMatchesHotkey(event: HotkeyEvent, hotkey: string, isMac: boolean): boolean {
  const parsed = parseHotkey(hotkey);
  if (!parsed) return false;

  // Mod is ⌘ on macOS and Ctrl elsewhere; the other one must be up, so Ctrl+1 never reads as "1".
  const modPressed = isMac ? event.metaKey : event.ctrlKey;
  const otherPressed = isMac ? event.ctrlKey : event.metaKey;
  if (modPressed !== parsed.mod || otherPressed || event.altKey !== parsed.alt) return false;

  if (isCasedCharacter(parsed.key)) {
    // Letters match either case (Caps Lock), but Shift is part of the chord: "m" is not Shift+M.
    if (event.shiftKey !== parsed.shift) return false;
    if (event.key.toLowerCase() === parsed.key.toLowerCase()) return true;
    // With Alt (or ⌥ on a Mac), event.key is another character; the physical key is what was meant.
    return parsed.alt && baseCharacterOf(event.code) === parsed.key.toLowerCase();
  }

  if (isSingleCharacter(parsed.key)) {
    // "?" needs Shift on a US layout and "1" needs it on AZERTY: the character itself already says what was
    // typed, so Shift only counts when the hotkey names it.
    if (parsed.shift && !event.shiftKey) return false;
    if (event.key === parsed.key) return true;
    return parsed.alt && baseCharacterOf(event.code) === parsed.key;
  }

  // Named keys ("Enter", "Escape", "F2"): Shift must match exactly.
  return event.shiftKey === parsed.shift && event.key.toLowerCase() === parsed.key.toLowerCase();
}

const VERDICT_COMMANDS = ['correct', 'incorrect', 'unsure'] as const satisfies readonly (keyof Hotkeys & Verdict)[];

/** The panel command a key press asks for, or null when it is not one of ours (let the page have it). */
export function commandForKey(
  event: HotkeyEvent,
  hotkeys: Hotkeys,
  tags: ReadonlyArray<{ id: string; hotkey?: string | undefined }>,
  isMac: boolean,
): PanelCommand | null {
  for (const verdict of VERDICT_COMMANDS) {
    if (eventMatchesHotkey(event, hotkeys[verdict], isMac)) return { kind: 'verdict', verdict };
  }
  if (eventMatchesHotkey(event, hotkeys.save, isMac)) return { kind: 'save' };
  if (eventMatchesHotkey(event, hotkeys.undo, isMac)) return { kind: 'undo' };
  if (eventMatchesHotkey(event, hotkeys.help, isMac)) return { kind: 'help' };
  if (eventMatchesHotkey(event, hotkeys.togglePanel, isMac)) return { kind: 'toggle-panel' };
  if (eventMatchesHotkey(event, hotkeys.annotate, isMac)) return { kind: 'annotate' };
  if (eventMatchesHotkey(event, hotkeys.shieldMedia, isMac)) return { kind: 'shield-media' };
  if (eventMatchesHotkey(event, hotkeys.revealMedia, isMac)) return { kind: 'reveal-media' };
  for (const tag of tags) {
    if (tag.hotkey && eventMatchesHotkey(event, tag.hotkey, isMac)) return { kind: 'toggle-tag', tagId: tag.id };
  }
  return null;
}

/** `<input>` types that take typed text; the rest (checkbox, button, range, ...) ignore letters and digits. */
const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'url',
  'tel',
  'password',
  'number',
  'date',
  'datetime-local',
  'month',
  'week',
  'time',
]);

/** `contenteditable` values that make an element editable; any other value inherits from the parent. */
const EDITABLE_VALUES = new Set(['', 'true', 'plaintext-only']);

/**
 * Whether keys pressed on `target` are typing, so no hotkey may fire. Pass `event.composedPath()[0]` rather than
 * `event.target`: a host page's web component retargets events to its shadow host.
 * Checks node types rather than `instanceof`, which fails for elements from another frame.
 */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!target || !('nodeType' in target)) return false;
  const node = target as Node;
  if (node.nodeType === 9) return (node as Document).designMode === 'on';
  if (node.nodeType !== 1) return false;
  const element = node as Element;
  if (element.ownerDocument.designMode === 'on') return true;

  const tag = element.localName;
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    // `.type` reports "text" for a missing or unknown type attribute, as browsers treat it.
    return TEXT_INPUT_TYPES.has((element as HTMLInputElement).type.toLowerCase());
  }
  if ((element as HTMLElement).isContentEditable === true) return true;
  if (element.closest('[role="textbox"], [role="searchbox"]')) return true;

  // Not every DOM implements the inheritance behind isContentEditable; walk up to the nearest explicit value.
  for (let ancestor = element.closest('[contenteditable]'); ancestor; ancestor = ancestor.parentElement?.closest('[contenteditable]') ?? null) {
    const value = (ancestor.getAttribute('contenteditable') ?? '').toLowerCase();
    if (EDITABLE_VALUES.has(value)) return true;
    if (value === 'false') return false;
  }
  return false;
}

/** How a hotkey is shown to people: "Ctrl+Z" elsewhere, "⌘Z" on macOS (Apple's order ⌥⇧⌘). */
export function formatHotkey(hotkey: string, isMac: boolean): string {
  const parsed = parseHotkey(hotkey);
  if (!parsed) return hotkey;
  const key = parsed.key === ' ' ? 'Space' : isSingleCharacter(parsed.key) ? parsed.key.toUpperCase() : parsed.key;
  if (isMac) return `${parsed.alt ? '⌥' : ''}${parsed.shift ? '⇧' : ''}${parsed.mod ? '⌘' : ''}${key}`;
  return [parsed.mod ? 'Ctrl' : '', parsed.alt ? 'Alt' : '', parsed.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}
