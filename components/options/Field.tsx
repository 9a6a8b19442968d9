import { useId, type ReactNode } from 'react';
import { useT, type OptionsT } from './i18n';

interface FieldProps {
  label: string;
  /** Shown under the label; linked to the control with aria-describedby. */
  hint?: ReactNode;
  error?: string;
  /** Renders the control with the ids it must carry. */
  children: (control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
  className?: string;
}

/** A labelled control with its hint and its problem, both announced with the control. */
export function Field({ label, hint, error, children, className }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(' ');
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string;
  type?: 'text' | 'number' | 'url';
  inputMode?: 'text' | 'numeric' | 'decimal';
  list?: string;
  readOnly?: boolean;
  placeholder?: string;
  autoComplete?: string;
  className?: string;
  spellCheck?: boolean;
}

export function TextField({ label, value, onChange, hint, error, className, ...input }: TextFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(control) => (
        <input
          {...control}
          type={input.type ?? 'text'}
          inputMode={input.inputMode}
          list={input.list}
          readOnly={input.readOnly}
          placeholder={input.placeholder}
          autoComplete={input.autoComplete ?? 'off'}
          spellCheck={input.spellCheck ?? false}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * Words of a message, or how to say them in the page's language: a message saved just before the language changed
 * (Options → You) is then shown in the new language rather than the old one.
 */
export type MessageText = string | ((t: OptionsT['t']) => string);

export interface StatusMessage {
  kind: 'success' | 'error' | 'info';
  text: MessageText;
  /** A second sentence, e.g. that open tabs update on reload. */
  note?: MessageText;
}

interface SectionMessagesProps {
  /** Whether any field of the section shows a problem. */
  invalid: boolean;
  /** Problems the section could not pin to a field. */
  problems?: readonly string[];
  status?: StatusMessage | null;
}

/**
 * What happened when a section was saved. The status region is always in the page so screen readers announce
 * what is written into it; failures are inserted as alerts, which are announced as they appear.
 */
export function SectionMessages({ invalid, problems = [], status }: SectionMessagesProps) {
  const { t } = useT();
  const say = (text: MessageText) => (typeof text === 'function' ? text(t) : text);
  const failed = status?.kind === 'error' ? status : null;
  const polite = status && status.kind !== 'error' ? status : null;
  return (
    <>
      {invalid || problems.length > 0 ? (
        <div role="alert" className="message message--error">
          <p>{problems.length > 0 ? t('options.form.notSaved') : t('options.form.notSavedFix')}</p>
          {problems.length > 0 ? (
            <ul>
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {failed ? (
        <div role="alert" className="message message--error">
          <p>{say(failed.text)}</p>
          {failed.note ? <p>{say(failed.note)}</p> : null}
        </div>
      ) : null}
      <div role="status" className={polite ? `message message--${polite.kind}` : 'message message--empty'}>
        {polite ? <p>{say(polite.text)}</p> : null}
        {polite?.note ? <p>{say(polite.note)}</p> : null}
      </div>
    </>
  );
}

interface SaveBarProps {
  /** The submit button's text. */
  label: string;
  busy: boolean;
  unsaved: boolean;
  /** Other buttons, shown after the submit button. */
  children?: ReactNode;
}

/** A form's submit button, and the marker saying the form holds edits that are not saved yet. */
export function SaveBar({ label, busy, unsaved, children }: SaveBarProps) {
  const { t } = useT();
  return (
    <div className="save-bar">
      {/* aria-disabled rather than disabled: the button keeps its focus and stays announced while saving. */}
      <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>
        {label}
      </button>
      {children}
      {unsaved ? <span className="unsaved">{t('options.form.unsaved')}</span> : null}
    </div>
  );
}
