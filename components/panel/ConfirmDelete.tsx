/**
 * Deleting one's own note or reply takes a second, deliberate press: "Delete" turns into "Delete this note?
 * Yes, delete / No" in place, with focus on "No", so a stray Enter or double click deletes nothing. Escape or
 * "No" puts it back as it was, with focus on "Delete" again.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useT } from './i18n';
import type { NoteRequestResult } from './use-note-actions';

type Step = 'idle' | 'confirming' | 'deleting';

export function ConfirmDelete({
  what,
  onDelete,
  onDeleted,
}: {
  what: 'note' | 'reply';
  onDelete: () => Promise<NoteRequestResult>;
  /** After the worker deleted it: the record leaves the list, so the caller decides where focus goes. */
  onDeleted: () => void;
}) {
  const id = useId();
  const { t } = useT();
  const [step, setStep] = useState<Step>('idle');
  const [error, setError] = useState<string | null>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const noRef = useRef<HTMLButtonElement>(null);
  /** Set by the handler that changes the step; applied once the new step is on screen. */
  const focusNext = useRef<'delete' | 'no' | null>(null);

  useEffect(() => {
    const next = focusNext.current;
    focusNext.current = null;
    if (next === 'no') noRef.current?.focus();
    else if (next === 'delete') deleteRef.current?.focus();
  }, [step]);

  function ask() {
    setError(null);
    focusNext.current = 'no';
    setStep('confirming');
  }

  function back() {
    focusNext.current = 'delete';
    setStep('idle');
  }

  async function confirm() {
    if (step !== 'confirming') return;
    setStep('deleting');
    const failure = await onDelete();
    if (failure === null) {
      onDeleted();
      return;
    }
    setError(failure);
    focusNext.current = 'delete';
    setStep('idle');
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      // Handled here, so the panel's own Escape (focus back to the page) does not also run.
      event.preventDefault();
      back();
    }
  }

  return (
    <>
      {step === 'idle' ? (
        <button ref={deleteRef} type="button" className="loupe-quiet-button" onClick={ask}>
          {t(what === 'note' ? 'panel.delete.note' : 'panel.delete.reply')}
        </button>
      ) : (
        <div role="group" aria-labelledby={`${id}-ask`} className="loupe-confirm" onKeyDown={onKeyDown} aria-busy={step === 'deleting' || undefined}>
          <span id={`${id}-ask`}>
            {step === 'deleting' ? t('panel.delete.deleting') : t(what === 'note' ? 'panel.delete.askNote' : 'panel.delete.askReply')}
          </span>
          <button type="button" className="loupe-danger" aria-disabled={step === 'deleting' || undefined} onClick={() => void confirm()}>
            {t('panel.delete.yes')}
          </button>
          <button ref={noRef} type="button" aria-disabled={step === 'deleting' || undefined} onClick={() => step === 'confirming' && back()}>
            {t('panel.delete.no')}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="loupe-alert loupe-note-error">
          {error}
        </p>
      )}
    </>
  );
}
