/** The optional parts of a verdict: severity, the decision the labeler should have made, and a note. */
import { useId, type Ref } from 'react';
import { SEVERITIES, type Severity } from '@/lib/schemas';
import type { Draft, DraftTextField } from './panel-store';
import { SEVERITY_LABELS } from './labels';

export function DraftFields({
  draft,
  onSeverity,
  onText,
  noteRef,
  saveKey,
}: {
  draft: Draft;
  onSeverity: (severity: Severity | null) => void;
  onText: (field: DraftTextField, value: string) => void;
  noteRef?: Ref<HTMLTextAreaElement>;
  /** The save key as shown, for the note's hint. */
  saveKey: string;
}) {
  const id = useId();
  return (
    <div className="loupe-fields">
      <div className="loupe-field loupe-field-inline">
        <label htmlFor={`${id}-severity`}>Severity</label>
        <select
          id={`${id}-severity`}
          value={draft.severity ?? ''}
          onChange={(event) => onSeverity(toSeverity(event.target.value))}
        >
          <option value="">Not set</option>
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {SEVERITY_LABELS[severity]}
            </option>
          ))}
        </select>
      </div>
      <div className="loupe-field">
        <label htmlFor={`${id}-corrected`}>Corrected decision</label>
        <input
          id={`${id}-corrected`}
          type="text"
          value={draft.correctedDecision}
          maxLength={256}
          autoComplete="off"
          onChange={(event) => onText('correctedDecision', event.target.value)}
        />
      </div>
      <div className="loupe-field">
        <label htmlFor={`${id}-note`}>Note</label>
        <textarea
          id={`${id}-note`}
          ref={noteRef}
          rows={2}
          value={draft.note}
          maxLength={5000}
          aria-describedby={`${id}-note-hint`}
          onChange={(event) => onText('note', event.target.value)}
        />
        <p id={`${id}-note-hint`} className="loupe-hint">
          {saveKey} saves · Shift+Enter starts a new line
        </p>
      </div>
    </div>
  );
}

function toSeverity(value: string): Severity | null {
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : null;
}
