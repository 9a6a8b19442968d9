/**
 * Loupe's keys on the labeling page itself, so an analyst can give a verdict without leaving the tool. Never
 * while the user types in one of the page's fields, and never with an IME composition in progress. A key we
 * handle is stopped before the page sees it: a QA reviewer pressing "2" must not also relabel the item through
 * the tool's own shortcut.
 */
import { commandForKey, isEditableTarget, type PanelCommand } from '../hotkeys';
import type { Hotkeys } from '../schemas';

export interface PageHotkeysOptions {
  win: Window;
  hotkeys: Hotkeys;
  tags: ReadonlyArray<{ tagId: string; hotkey: string }>;
  isMac: boolean;
  onCommand: (command: PanelCommand) => void;
  /** True while another mode owns the keys (annotate mode: Enter picks, Esc cancels). */
  isPaused?: () => boolean;
  /** True for a command that would do nothing now (revealing pictures with no shield on): the page keeps its key. */
  isIdle?: (command: PanelCommand) => boolean;
  signal: AbortSignal;
}

export function listenForPageHotkeys({ win, hotkeys, tags, isMac, onCommand, isPaused, isIdle, signal }: PageHotkeysOptions): void {
  const tagKeys = tags.map((t) => ({ id: t.tagId, hotkey: t.hotkey }));
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.isComposing || event.repeat || isPaused?.()) return;
    const target = event.composedPath()[0] ?? event.target;
    if (isEditableTarget(target)) return;
    const command = commandForKey(event, hotkeys, tagKeys, isMac);
    if (!command || isIdle?.(command)) return;
    // Enter on a focused page control (a button, a link) belongs to the page; Loupe's save only takes Enter when
    // nothing on the page has focus.
    if (command.kind === 'save') {
      const active = win.document.activeElement;
      if (active && active !== win.document.body && active !== win.document.documentElement) return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    onCommand(command);
  };
  // Capture on window: our listener runs before the page's own key handlers.
  win.addEventListener('keydown', onKeyDown, { capture: true, signal });
}
