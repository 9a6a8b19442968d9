/**
 * What the panel does, whichever way it is asked: saving the draft or a stashed one, undoing the last save,
 * choosing a verdict, moving or collapsing the panel, opening help, and running the commands the host page
 * relays (annotate is handed on to use-note-actions.ts). Every request goes through `client`; the store only
 * records how it went.
 */
import { useEffect, useEffectEvent, useRef, type RefObject } from 'react';
import type { PanelCommand } from '@/lib/hotkeys';
import type { PanelClient } from '@/lib/panel-client';
import { describeFailure } from '@/lib/problems';
import type { PanelContext, VerdictDraft } from '@/lib/protocol';
import type { DetectedItem, PanelLayout, Verdict } from '@/lib/schemas';
import { itemKey } from '@/lib/site-profile';
import { useT } from './i18n';
import { messageOf } from './labels';
import { usePanelStore, usePanelStoreApi, verdictInputOf, type StashedDraft } from './panel-store';

/** Where a command came from: keys typed in the panel may move focus; the host page's keys must not steal it. */
export type Origin = 'panel' | 'host';

export interface PanelActionsOptions {
  client: PanelClient;
  now: () => number;
  context: PanelContext | null;
  /** The item the page shows now, when Loupe could read one. */
  currentItem: DetectedItem | null;
  /** Where focus goes when the analyst must act next: the verdicts, the tag list, the note. */
  verdictRef: RefObject<HTMLDivElement | null>;
  tagListRef: RefObject<HTMLUListElement | null>;
  noteRef: RefObject<HTMLTextAreaElement | null>;
  /** Annotate mode on the page, for a mentor's note (use-note-actions.ts). */
  startAnnotate: (origin: Origin) => void;
}

export function usePanelActions({
  client,
  now,
  context,
  currentItem,
  verdictRef,
  tagListRef,
  noteRef,
  startAnnotate,
}: PanelActionsOptions) {
  const store = usePanelStoreApi();
  const { t } = useT();
  const unreachable = t('panel.alert.unreachable');
  const lastSaved = usePanelStore((s) => s.lastSaved);
  /** Where focus was when help opened, to put it back on close. */
  const beforeHelpRef = useRef<HTMLElement | null>(null);
  const helpFromPageRef = useRef(false);

  // The Undo button lives as long as the worker would accept the undo; `now` decides, a timer re-checks.
  useEffect(() => {
    if (!lastSaved) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const left = lastSaved.undoUntil - now();
      if (left <= 0) store.getState().expireUndo(lastSaved.audit.id);
      else timer = setTimeout(check, left);
    };
    check();
    return () => clearTimeout(timer);
  }, [lastSaved, now, store]);

  function alert(text: string) {
    store.getState().setNotice({ kind: 'alert', text });
  }

  function focusVerdicts() {
    verdictRef.current?.focus();
  }

  async function saveDraft(stashKey: string | null, origin: Origin) {
    const state = store.getState();
    if (state.savingKey !== null || !context) return; // one save at a time: no double submit
    const stash: StashedDraft | undefined = stashKey === null ? undefined : state.stashes.find((d) => d.key === stashKey);
    const target = stash ?? state.draft;
    if (stashKey !== null && !stash) return;
    if (!stash && (!currentItem || target.key !== itemKey(currentItem))) {
      alert(t('panel.alert.noItemToSave'));
      return;
    }
    if (!target.item || !target.key) return;
    if (!target.verdict) {
      if (stash) alert(t('panel.alert.stashNoVerdict', { item: stash.item.itemId }));
      else {
        alert(t('panel.alert.chooseVerdict'));
        if (origin === 'panel') focusVerdicts();
      }
      return;
    }
    if (target.verdict === 'incorrect' && target.errorTags.length === 0) {
      if (stash) {
        alert(t('panel.alert.stashNoTag', { item: stash.item.itemId }));
      } else {
        alert(t('panel.alert.pickTag'));
        if (origin === 'panel') tagListRef.current?.focus();
      }
      return;
    }

    const request: VerdictDraft = { item: target.item, input: verdictInputOf(target, stash ? stash.stashedAt : now()) };
    const { undoWindowMs } = context;
    const key = target.key;
    state.startSaving(key, t('panel.saving'));
    let reply: Awaited<ReturnType<PanelClient['recordVerdict']>>;
    try {
      reply = await client.recordVerdict(request);
    } catch (failure) {
      store.getState().saveFailed(messageOf(failure, unreachable));
      return;
    }
    if (!reply.ok) {
      store.getState().saveFailed(describeFailure(reply.error, { t }));
      return;
    }
    store.getState().saveSucceeded(key, { audit: reply.audit, undoUntil: now() + undoWindowMs }, t('panel.status.saved'));
    // Typed here, so the analyst's next keys belong to the labeling page again. If the page cannot take focus,
    // it simply stays in the panel, which is where the analyst already is: nothing to report.
    if (origin === 'panel') client.returnFocus().catch(() => undefined);
  }

  function discardStash(stashKey: string) {
    store.getState().discardStash(stashKey);
    focusVerdicts();
  }

  async function undoLast() {
    const state = store.getState();
    if (state.undoing) return;
    const last = state.lastSaved;
    if (!last || now() >= last.undoUntil) {
      if (last) state.expireUndo(last.audit.id);
      state.setNotice({ kind: 'status', text: t('panel.status.nothingToUndo') });
      return;
    }
    state.startUndo(t('panel.status.undoing'));
    let reply: Awaited<ReturnType<PanelClient['undo']>>;
    try {
      reply = await client.undo(last.audit.id, last.audit.rev);
    } catch (failure) {
      store.getState().undoFinished({ kind: 'alert', text: messageOf(failure, unreachable) }, true);
      return;
    }
    if (reply.ok) {
      store.getState().undoFinished({ kind: 'status', text: t('panel.status.undone') }, false);
    } else {
      const retryable = reply.error.code !== 'expired' && reply.error.code !== 'not-found';
      store.getState().undoFinished({ kind: 'alert', text: describeFailure(reply.error, { t }) }, retryable);
    }
  }

  async function changeLayout(layout: PanelLayout) {
    try {
      const reply = await client.setLayout(layout);
      if (!reply.ok) alert(describeFailure(reply.error, { t }));
    } catch (failure) {
      alert(messageOf(failure, unreachable));
    }
  }

  function chooseVerdict(verdict: Verdict, origin: Origin) {
    // While a verdict is being saved the draft is on its way: a second verdict key would be lost on reset.
    if (store.getState().savingKey !== null) return;
    store.getState().chooseVerdict(verdict);
    if (verdict === 'correct') void saveDraft(null, origin);
    else if (origin === 'panel') (verdict === 'incorrect' ? tagListRef : noteRef).current?.focus();
    else if (verdict === 'unsure') {
      // The note is typed next: focus it here, then have the page hand keyboard focus to the panel. Tags and
      // Enter for "incorrect" are relayed from the page in order, so focus stays there.
      // Focusing the frame from the page lands on its body, not on what was focused in it: focus the note again
      // once the frame has the keyboard.
      noteRef.current?.focus();
      client
        .takeFocus()
        .then(() => noteRef.current?.focus())
        .catch(() => undefined);
    }
  }

  function openHelp(origin: Origin = 'panel') {
    const active = document.activeElement;
    beforeHelpRef.current = origin === 'panel' && active instanceof HTMLElement ? active : null;
    helpFromPageRef.current = origin === 'host';
    store.getState().setHelpOpen(true);
  }

  /** Closes the shortcuts and puts focus back where it was: on the page when the page's key opened them. */
  function closeHelp() {
    store.getState().setHelpOpen(false);
    const previous = beforeHelpRef.current;
    beforeHelpRef.current = null;
    if (helpFromPageRef.current) {
      helpFromPageRef.current = false;
      client.returnFocus().catch(() => undefined);
    } else if (previous?.isConnected) previous.focus();
  }

  function runCommand(command: PanelCommand, origin: Origin) {
    if (!context) return;
    const state = store.getState();
    if (command.kind === 'help') {
      if (state.helpOpen) closeHelp();
      else if (!context.layout.collapsed) {
        openHelp(origin);
        // The list is read and closed with Escape in the panel.
        if (origin === 'host') client.takeFocus().catch(() => undefined);
      }
      return;
    }
    if (command.kind === 'toggle-panel') {
      void changeLayout({ ...context.layout, collapsed: !context.layout.collapsed });
      return;
    }
    if (state.helpOpen) return;
    if (command.kind === 'annotate') {
      // Before the auditor check: without an id, annotating says why it cannot start.
      startAnnotate(origin);
      return;
    }
    if (!context.auditorId) return;
    switch (command.kind) {
      case 'save':
        void saveDraft(null, origin);
        return;
      case 'undo':
        void undoLast();
        return;
      case 'verdict':
      case 'toggle-tag':
        if (!currentItem) {
          alert(t('panel.alert.noItemToJudge'));
          return;
        }
        if (command.kind === 'verdict') chooseVerdict(command.verdict, origin);
        else if (context.taxonomy.tags.some((tag) => tag.id === command.tagId)) state.toggleTag(command.tagId);
        return;
    }
  }

  // Declared after the actions it calls (the compiler's rule): the listener sees the latest render's values.
  const onCommand = useEffectEvent((command: PanelCommand) => runCommand(command, 'host'));
  useEffect(() => client.onCommand((command) => onCommand(command)), [client]);

  return { saveDraft, discardStash, undoLast, changeLayout, chooseVerdict, openHelp, closeHelp, runCommand };
}
