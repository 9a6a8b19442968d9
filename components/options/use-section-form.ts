/**
 * The save flow every settings form on the options page shares: what it shows about its last attempt, where
 * focus goes when an attempt is refused, and (for a section) its draft, its unsaved-changes flag and the save.
 * A section keeps only what is its own: its fields, how a draft becomes a change to the settings, and which
 * field an issue belongs to.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Settings } from '../../lib/schemas';
import type { StatusMessage } from './Field';
import type { FieldErrors, Issue, SplitIssues } from './form-issues';
import { useT, type OptionsT } from './i18n';
import { useOptionsStore, type SectionId } from './options-store';
import type { SaveSettings, SettingsChange } from './types';

/** Tells the page whether `section` holds unsaved edits, and clears that when the section goes away. */
export function useUnsavedFlag(section: SectionId, unsaved: boolean): void {
  const setUnsaved = useOptionsStore((state) => state.setUnsaved);
  useEffect(() => {
    setUnsaved(section, unsaved);
  }, [section, unsaved, setUnsaved]);
  useEffect(() => () => setUnsaved(section, false), [section, setUnsaved]);
}

/**
 * After a save attempt that failed validation, moves focus to the first field marked invalid, so a keyboard
 * user lands on the problem instead of hunting for it. `attempt` changes once per failed save.
 */
function useFocusFirstInvalid(attempt: number) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (attempt === 0) return;
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);
  return ref;
}

/** The problems, status and busy state of a form's save attempts. */
export function useSaveFeedback() {
  const { t } = useT();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const [failedAttempts, setFailedAttempts] = useState(0);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstInvalid(failedAttempts);

  return {
    errors,
    problems,
    status,
    setStatus,
    busy,
    formRef,
    /** Whether any field shows a problem. */
    invalid: Object.keys(errors).length > 0,
    /** Marks problems found before anything was sent, and moves focus to the first one. */
    refuse(found: SplitIssues) {
      setErrors(found.fields);
      setProblems(found.other);
      setFailedAttempts((n) => n + 1);
    },
    /**
     * A save that did not go through. Invalid settings are marked at their fields (focus moves there); when
     * storing failed, the fields may be fine, so focus stays and the error is said instead.
     */
    notSaved(found: SplitIssues, error: string | null) {
      setErrors(found.fields);
      setProblems(found.other);
      if (error) setStatus({ kind: 'error', text: t('options.form.notSavedBecause', { error }) });
      else setFailedAttempts((n) => n + 1);
    },
    saved(message: StatusMessage) {
      setErrors({});
      setProblems([]);
      setStatus(message);
    },
    /** Runs `task` with the form marked busy, so a second submit while it runs is ignored. */
    async whileBusy<T>(task: () => Promise<T>): Promise<T> {
      setBusy(true);
      try {
        return await task();
      } finally {
        setBusy(false);
      }
    },
  };
}

interface SectionFormOptions<Draft> {
  section: SectionId;
  /** The settings the section was rendered with; the draft starts from them. */
  settings: Settings;
  save: SaveSettings;
  toDraft: (settings: Settings) => Draft;
  /** The draft as a change to the latest saved settings, or the problems that keep it from being one. */
  toChange: (draft: Draft) => SettingsChange | { errors: FieldErrors };
  /** Which of the section's fields each issue of a refused save is about; `draft` is the one that was sent. */
  placeIssues: (issues: readonly Issue[], draft: Draft) => SplitIssues;
  /** What to say once `saved` is stored, in the page's language at the time it is shown. */
  savedText: (saved: Settings, t: OptionsT['t']) => string;
  /** What of a draft counts when telling whether it differs from the saved one; all of it by default. */
  comparable?: (draft: Draft) => string;
}

/** A section of the options page that edits a draft of part of the settings and saves it as a whole. */
export function useSectionForm<Draft>({
  section,
  settings,
  save,
  toDraft,
  toChange,
  placeIssues,
  savedText,
  comparable = JSON.stringify,
}: SectionFormOptions<Draft>) {
  const [saved, setSaved] = useState(() => toDraft(settings));
  const [draft, setDraft] = useState(saved);
  const feedback = useSaveFeedback();
  const unsaved = comparable(draft) !== comparable(saved);
  useUnsavedFlag(section, unsaved);

  /** Edits the draft; the last save's message no longer describes what is on screen. */
  function update(change: (current: Draft) => Draft) {
    feedback.setStatus(null);
    setDraft(change);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (feedback.busy) return;
    feedback.setStatus(null);
    const change = toChange(draft);
    if (typeof change !== 'function') {
      feedback.refuse({ fields: change.errors, other: [] });
      return;
    }
    const result = await feedback.whileBusy(() => save(change));
    if (!result.ok) {
      feedback.notSaved(placeIssues(result.issues, draft), result.error);
      return;
    }
    const next = toDraft(result.settings);
    setSaved(next);
    setDraft(next);
    const stored = result.settings;
    feedback.saved({
      kind: 'success',
      text: (t) => savedText(stored, t),
      ...(result.notified ? {} : { note: (t: OptionsT['t']) => t('options.reloadNote') }),
    });
  }

  return { ...feedback, draft, update, unsaved, onSubmit };
}
