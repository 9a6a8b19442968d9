/**
 * One step of site setup (issue 7): the field's element picked on the page, the selector and pattern Loupe
 * proposed for it, editable, and what they read on the live page right now, or exactly why they read nothing.
 * Everything shown about the page (its text, its attributes) is rendered as text nodes only.
 */
import { useId, type RefObject } from 'react';
import type { ItemField } from '@/lib/schemas';
import type { FieldProblem } from '@/lib/setup/field-check';
import { urlFieldFor, type DraftProblem, type DraftProblems, type FieldDraft } from '@/lib/setup/setup-draft';
import { richText } from '@/lib/i18n/react';
import { useT, type PanelT } from './i18n';

/** What the live page said about a source, in words. */
export function pageProblemText(problem: FieldProblem, t: PanelT['t']): string {
  switch (problem.kind) {
    case 'several':
      // The page stops counting at 50 (lib/setup/field-check.ts).
      return problem.count >= 50 ? t('setup.problem.severalMany', { count: 50 }) : t('setup.problem.several', { count: problem.count });
    case 'no-attribute':
      return t('setup.problem.no-attribute', { attribute: problem.attribute });
    case 'regex-no-match':
      return t('setup.problem.regex-no-match', { text: problem.text });
    case 'no-group':
      return t('setup.problem.no-group', { count: problem.groups });
    default:
      return t(`setup.problem.${problem.kind}`);
  }
}

/** A problem found in the draft itself (no page needed), in words. */
export function draftProblemText(problem: DraftProblem, t: PanelT['t'], where?: 'selector' | 'url-pattern'): string {
  switch (problem.kind) {
    case 'required':
      return where === 'selector'
        ? t('setup.problem.selectorRequired')
        : where === 'url-pattern'
          ? t('setup.problem.urlPatternRequired')
          : t('setup.problem.required');
    case 'bad-match':
      return t('setup.problem.bad-match', { line: problem.line });
    default:
      return t(`setup.problem.${problem.kind}`);
  }
}

/** What the live page said about the field as it stands now. */
export type FieldReading =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'read'; value: string; text: string }
  | { state: 'problem'; text: string };

interface SiteSetupFieldProps {
  field: ItemField;
  draft: FieldDraft | null;
  url: string;
  /** Problems found without the page (syntax), keyed `selector`, `pattern`, `group`. */
  problems: DraftProblems;
  reading: FieldReading;
  picking: boolean;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onPick(): void;
  onStopPicking(): void;
  onEdit(change: Partial<Omit<FieldDraft, 'picked'>>): void;
  onReplace(value: FieldDraft): void;
}

export function SiteSetupField({ field, draft, url, problems, reading, picking, headingRef, onPick, onStopPicking, onEdit, onReplace }: SiteSetupFieldProps) {
  const id = useId();
  const { t, parts } = useT();
  const name = t(`common.field.${field}`);
  const required = field === 'itemId';
  const readingId = `${id}-reading`;
  const picked = draft?.picked ?? null;
  const urlAlternative = draft?.from === 'dom' && reading.state === 'read' ? urlFieldFor(url, reading.value, picked) : null;

  return (
    <section className="setup-field" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {name} <span className="loupe-quiet">{required ? t('setup.field.required') : t('setup.field.optional')}</span>
      </h2>
      <p>{t(`setup.field.instructions.${field}`)}</p>
      <p className="loupe-hint">{t('setup.field.keys')}</p>
      <div className="loupe-actions">
        {picking ? (
          <button type="button" onClick={onStopPicking}>
            {t('setup.field.stopPicking')}
          </button>
        ) : (
          <button type="button" className={picked || draft ? undefined : 'loupe-primary'} onClick={onPick}>
            {picked || draft ? t('setup.field.pickAgain') : t('setup.field.pick')}
          </button>
        )}
      </div>
      {picking ? (
        <p role="status" className="loupe-banner">
          {t('setup.field.pointing', { field: t(`setup.fieldInSentence.${field}`) })}
        </p>
      ) : null}

      {picked ? (
        <div className="setup-picked">
          <p>{richText(parts('setup.field.picked', { element: <span className="setup-code">{picked.description}</span> }))}</p>
          <p className={picked.basis === 'path' ? 'setup-warning' : 'loupe-hint'}>{t(`setup.basis.${picked.basis}`)}</p>
        </div>
      ) : null}

      {draft?.from === 'dom' ? (
        <DomSourceFields draft={draft} problems={problems} readingId={readingId} onEdit={onEdit} />
      ) : null}
      {draft?.from === 'url' ? (
        <>
          <p>{t('setup.field.readsFromUrl')}</p>
          <TextInput
            label={t('setup.field.urlPattern')}
            value={draft.pattern}
            problem={problems.pattern ? draftProblemText(problems.pattern, t, 'url-pattern') : undefined}
            describedBy={readingId}
            onChange={(pattern) => onEdit({ pattern })}
          />
          <TextInput
            label={t('setup.field.group')}
            hint={t('setup.field.groupHint')}
            value={draft.group}
            inputMode="numeric"
            problem={problems.group ? draftProblemText(problems.group, t) : undefined}
            onChange={(group) => onEdit({ group })}
          />
          {picked ? (
            <button type="button" onClick={() => onReplace({ from: 'dom', selector: picked.selector, attribute: '', pattern: '', group: '1', picked })}>
              {t('setup.field.useElement')}
            </button>
          ) : null}
        </>
      ) : null}

      {draft ? <Reading id={readingId} reading={reading} /> : null}

      {urlAlternative ? (
        <div className="setup-alternative">
          <p>{t('setup.field.fromUrl')}</p>
          <button type="button" onClick={() => onReplace(urlAlternative)}>
            {t('setup.field.useUrl')}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function DomSourceFields({
  draft,
  problems,
  readingId,
  onEdit,
}: {
  draft: FieldDraft;
  problems: DraftProblems;
  readingId: string;
  onEdit: SiteSetupFieldProps['onEdit'];
}) {
  const selectId = useId();
  const { t } = useT();
  const attributes = draft.picked?.attributes ?? [];
  // An attribute typed in an earlier setup stays choosable even when this pick did not offer it.
  const offered = draft.attribute && !attributes.some((a) => a.name === draft.attribute) ? [...attributes, { name: draft.attribute, value: '…' }] : attributes;
  const proposed = draft.picked !== null && draft.pattern !== '';
  return (
    <>
      <TextInput
        label={t('setup.field.selector')}
        hint={t('setup.field.selectorHint')}
        value={draft.selector}
        code
        problem={problems.selector ? draftProblemText(problems.selector, t, 'selector') : undefined}
        describedBy={readingId}
        onChange={(selector) => onEdit({ selector })}
      />
      {offered.length > 0 ? (
        <div className="loupe-field">
          <label htmlFor={selectId}>{t('setup.field.read')}</label>
          <select id={selectId} value={draft.attribute} onChange={(event) => onEdit({ attribute: event.target.value })}>
            <option value="">{t('setup.field.readText')}</option>
            {offered.map((attribute) => (
              <option key={attribute.name} value={attribute.name}>
                {t('setup.field.readAttribute', { name: attribute.name, value: attribute.value })}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <TextInput
        label={t('setup.field.pattern')}
        hint={proposed ? `${t('setup.field.proposedPattern')} ${t('setup.field.patternHint')}` : t('setup.field.patternHint')}
        value={draft.pattern}
        code
        problem={problems.pattern ? draftProblemText(problems.pattern, t) : undefined}
        describedBy={readingId}
        onChange={(pattern) => onEdit({ pattern })}
      />
      {draft.pattern.trim() ? (
        <TextInput
          label={t('setup.field.group')}
          hint={t('setup.field.groupHint')}
          value={draft.group}
          inputMode="numeric"
          problem={problems.group ? draftProblemText(problems.group, t) : undefined}
          onChange={(group) => onEdit({ group })}
        />
      ) : null}
    </>
  );
}

/** The live reading: a polite status region, so a screen reader hears the value (or the problem) as it changes. */
function Reading({ id, reading }: { id: string; reading: FieldReading }) {
  const { t } = useT();
  return (
    <div id={id} role="status" className={`setup-reading setup-reading--${reading.state}`} data-testid="setup-reading">
      {reading.state === 'checking' ? <p>{t('setup.field.checking')}</p> : null}
      {reading.state === 'read' ? (
        <>
          <p className="setup-value">{t('setup.field.reads', { value: reading.value })}</p>
          {reading.text && reading.text !== reading.value ? <p className="loupe-hint">{t('setup.field.readsFrom', { text: reading.text })}</p> : null}
        </>
      ) : null}
      {reading.state === 'problem' ? <p className="setup-problem">{reading.text}</p> : null}
    </div>
  );
}

interface TextInputProps {
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: string;
  problem?: string | undefined;
  /** Another element that describes this control (the live reading). */
  describedBy?: string;
  inputMode?: 'numeric';
  code?: boolean;
}

export function TextInput({ label, value, onChange, hint, problem, describedBy, inputMode, code }: TextInputProps) {
  const id = useId();
  const describers = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : '', describedBy ?? ''].filter(Boolean).join(' ');
  return (
    <div className="loupe-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        className={code ? 'setup-code' : undefined}
        value={value}
        inputMode={inputMode}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={describers || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint ? (
        <p id={`${id}-hint`} className="loupe-hint">
          {hint}
        </p>
      ) : null}
      {problem ? (
        <p id={`${id}-problem`} className="setup-problem">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
