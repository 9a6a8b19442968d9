/**
 * The panel's own keyboard: every keydown in the panel's document becomes a command (or Escape, or "/" to search
 * tags), unless the key belongs to what has focus — typing in a field, pressing a button, an open help dialog.
 */
import { useEffect, useEffectEvent, type RefObject } from 'react';
import { commandForKey, isEditableTarget, type PanelCommand } from '@/lib/hotkeys';
import type { PanelClient, PanelConnection } from '@/lib/panel-client';
import type { PanelContext } from '@/lib/protocol';
import { worksWhileTyping } from './labels';
import { usePanelStoreApi } from './panel-store';
import type { Origin } from './use-panel-actions';

/** Enter or Space on these presses them; Enter must not also save. */
const ACTIVATES_ON_KEY =
  'button, a[href], summary, input[type="button"], input[type="submit"], input[type="reset"], input[type="checkbox"], input[type="radio"], [role="button"], [role="link"], [role="radio"], [role="checkbox"], [role="switch"], [role="tab"]';

function activatesOnKey(target: EventTarget | null): boolean {
  return !!target && 'nodeType' in target && (target as Node).nodeType === 1 && (target as Element).matches(ACTIVATES_ON_KEY);
}

/** Inside a part of the panel that handles its own keys (the notes section marks itself `data-own-keys`). */
function ownsKeys(target: EventTarget | null): boolean {
  return !!target && 'nodeType' in target && (target as Node).nodeType === 1 && (target as Element).closest('[data-own-keys]') !== null;
}

function hotkeyOf(command: PanelCommand, context: PanelContext): string | undefined {
  switch (command.kind) {
    case 'verdict':
      return context.hotkeys[command.verdict];
    case 'toggle-tag':
      return context.taxonomy.tags.find((tag) => tag.id === command.tagId)?.hotkey;
    case 'save':
      return context.hotkeys.save;
    case 'undo':
      return context.hotkeys.undo;
    case 'help':
      return context.hotkeys.help;
    case 'toggle-panel':
      return context.hotkeys.togglePanel;
    case 'annotate':
      return context.hotkeys.annotate;
  }
}

export interface PanelKeysOptions {
  client: PanelClient;
  connection: PanelConnection;
  context: PanelContext | null;
  isMac: boolean;
  /** Whether the verdict form is showing, so "/" has a tag search to go to. */
  canAudit: boolean;
  tagSearchRef: RefObject<HTMLInputElement | null>;
  runCommand: (command: PanelCommand, origin: Origin) => void;
  closeHelp: () => void;
  /** Stops annotate mode if it runs; false when it did not (Escape then hands focus back to the page). */
  cancelAnnotate: () => boolean;
}

export function usePanelKeys({
  client,
  connection,
  context,
  isMac,
  canAudit,
  tagSearchRef,
  runCommand,
  closeHelp,
  cancelAnnotate,
}: PanelKeysOptions) {
  const store = usePanelStoreApi();

  function handleKey(event: KeyboardEvent) {
    // isComposing: Enter that confirms an IME composition (Khmer, Thai, CJK input) is not a save.
    if (event.defaultPrevented || event.isComposing || !context || connection.state === 'refused') return;
    const command = commandForKey(event, context.hotkeys, context.taxonomy.tags, isMac);
    if (store.getState().helpOpen) {
      // The dialog handles Escape while focus is in it; this catches its own key, and Escape when focus is not
      // in the dialog (the page's key opened it and focus has not arrived). Nothing else acts behind it.
      if (command?.kind === 'help' || (event.key === 'Escape' && !command)) {
        event.preventDefault();
        closeHelp();
      }
      return;
    }
    const target = event.composedPath()[0] ?? event.target;
    const typing = isEditableTarget(target);
    const chord = event.ctrlKey || event.metaKey || event.altKey;
    if (!command) {
      if (event.key === 'Escape' && !chord) {
        event.preventDefault();
        // While the mentor points on the page, Escape here cancels that, as it does on the page.
        if (!cancelAnnotate()) client.returnFocus().catch(() => undefined);
      } else if (event.key === '/' && !chord && !typing && canAudit) {
        event.preventDefault();
        tagSearchRef.current?.focus();
      }
      return;
    }
    if (typing && !worksWhileTyping(hotkeyOf(command, context))) return;
    // A note's own fields keep every key: Enter is a new line there, Mod+Z undoes typing, not a verdict.
    if (typing && ownsKeys(target)) return;
    if (command.kind === 'save' && activatesOnKey(target)) return;
    // With nothing to take back, Mod+Z in a field is the field's own undo of typing.
    if (command.kind === 'undo' && typing && !store.getState().lastSaved) return;
    // The auditor form submits itself on Enter. Annotate still runs, to say it needs the auditor id.
    if (!context.auditorId && command.kind !== 'help' && command.kind !== 'toggle-panel' && command.kind !== 'annotate') return;
    event.preventDefault();
    runCommand(command, 'panel');
  }

  // Declared after handleKey (the compiler's rule): the listener sees the latest render's values.
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => handleKey(event));
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}
