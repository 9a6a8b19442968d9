/** The optional parts of a verdict: severity, the decision the labeler should have made, and a note. */
import { memo, useId, type Ref } from 'react';
import { SEVERITIES, type Severity } from '@/lib/schemas';
import type { Draft, DraftTextField } from './panel-store';
import { useT } from './i18n';

// Memoised: the panel renders again on every change to its store; this is the draft's optional fields, unchanged by
// a verdict key or a status line.
export const DraftFields = memo(function DraftFields({
  severity,
  correctedDecision,
  note,
  onSeverity,
  onText,
  noteRef,
  saveKey,
}: {
  severity: Draft['severity'];
  correctedDecision: string;
  note: string;
  onSeverity: (severity: Severity | null) => void;
  onText: (field: DraftTextField, value: string) => void;
  noteRef?: Ref<HTMLTextAreaElement>;
  /** The save key as shown, for the note's hint. */
  saveKey: string;
}) {
  const id = useId();
  const { t } = useT();
  return (
    <div className="loupe-fields">
      <div className="loupe-field loupe-field-inline">
        <label htmlFor={`${id}-severity`}>{t('panel.draft.severity')}</label>
        <select
          id={`${id}-severity`}
          value={severity ?? ''}
          onChange={(event) => onSeverity(toSeverity(event.target.value))}
        >
          <option value="">{t('panel.draft.notSet')}</option>
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {t(`common.severity.${severity}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="loupe-field">
        <label htmlFor={`${id}-corrected`}>{t('panel.draft.corrected')}</label>
        <input
          id={`${id}-corrected`}
          type="text"
          value={correctedDecision}
          maxLength={256}
          autoComplete="off"
          onChange={(event) => onText('correctedDecision', event.target.value)}
        />
      </div>
      <div className="loupe-field">
        <label htmlFor={`${id}-note`}>{t('panel.draft.note')}</label>
        <textarea
          id={`${id}-note`}
          ref={noteRef}
          rows={2}
          value={note}
          maxLength={5000}
          aria-describedby={`${id}-note-hint`}
          onChange={(event) => onText('note', event.target.value)}
        />
        <p id={`${id}-note-hint`} className="loupe-hint">
          {t('panel.draft.noteHint', { key: saveKey })}
        </p>
      </div>
    </div>
  );
});

function toSeverity(value: string): Severity | null {
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : null;
}
