/**
 * Writing a note on what the mentor just pointed at on the page: the quote (or the element) it will be pinned to,
 * the text, an optional error tag. Mod+Enter saves and Escape cancels from anywhere inside it; what was typed is
 * kept when a save fails. The controller (use-note-actions.ts) decides where focus goes when it closes.
 */
import { useEffect, useId, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { eventMatchesHotkey, formatHotkey } from '@/lib/hotkeys';
import type { ErrorTag } from '@/lib/schemas';
import { useT } from './i18n';
import { ariaKeyShortcut } from './labels';
import { QuotedTarget } from './QuotedTarget';
import type { NoteComposerState } from './notes-slice';

const SAVE_KEY = 'Mod+Enter';

export interface NoteComposerProps {
  composer: NoteComposerState;
  tags: readonly ErrorTag[];
  isMac: boolean;
  bodyRef: RefObject<HTMLTextAreaElement | null>;
  onBody: (body: string) => void;
  onTag: (tagId: string) => void;
  onSave: () => void;
  onCancel: () => void;
}

export function NoteComposer({ composer, tags, isMac, bodyRef, onBody, onTag, onSave, onCancel }: NoteComposerProps) {
  const id = useId();
  const { t } = useT();

  useEffect(() => {
    bodyRef.current?.focus();
  }, [bodyRef]);

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Escape') {
      // Handled here, so the panel's own Escape (focus back to the page) does not also run.
      event.preventDefault();
      onCancel();
    } else if (eventMatchesHotkey(event, SAVE_KEY, isMac)) {
      event.preventDefault();
      onSave();
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    onSave();
  }

  const saveKey = formatHotkey(SAVE_KEY, isMac);
  return (
    <form className="loupe-composer" aria-labelledby={`${id}-title`} onSubmit={submit} onKeyDown={onKeyDown} aria-busy={composer.saving || undefined}>
      <h3 id={`${id}-title`}>{t('panel.composer.title')}</h3>
      <QuotedTarget target={composer.target} />
      <div className="loupe-field">
        <label htmlFor={`${id}-body`}>{t('panel.composer.body')}</label>
        <textarea
          id={`${id}-body`}
          ref={bodyRef}
          rows={3}
          value={composer.body}
          maxLength={5000}
          readOnly={composer.saving}
          aria-describedby={`${id}-hint`}
          aria-invalid={composer.error ? true : undefined}
          aria-errormessage={composer.error ? `${id}-error` : undefined}
          onChange={(event) => onBody(event.target.value)}
        />
        <p id={`${id}-hint`} className="loupe-hint">
          {t('panel.composer.hint', { key: saveKey })}
        </p>
      </div>
      <div className="loupe-field loupe-field-inline">
        <label htmlFor={`${id}-tag`}>{t('panel.composer.tag')}</label>
        <select id={`${id}-tag`} value={composer.errorTag} disabled={composer.saving} onChange={(event) => onTag(event.target.value)}>
          <option value="">{t('panel.composer.noTag')}</option>
          {tags.map((tag) => (
            <option key={tag.id} value={tag.id}>
              {tag.label}
            </option>
          ))}
        </select>
      </div>
      {composer.error && (
        <p id={`${id}-error`} role="alert" className="loupe-alert">
          {composer.error}
        </p>
      )}
      <div className="loupe-actions">
        <button type="submit" className="loupe-primary" aria-disabled={composer.saving || undefined} aria-keyshortcuts={ariaKeyShortcut(SAVE_KEY, isMac)}>
          {composer.saving ? t('panel.saving') : t('panel.composer.save')} <kbd aria-hidden="true">{saveKey}</kbd>
        </button>
        <button type="button" aria-disabled={composer.saving || undefined} aria-keyshortcuts="Escape" onClick={onCancel}>
          {t('panel.cancel')} <kbd aria-hidden="true">Esc</kbd>
        </button>
      </div>
    </form>
  );
}
