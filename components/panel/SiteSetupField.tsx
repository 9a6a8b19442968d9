/**
 * One step of site setup (issue 7): the field's element picked on the page, the selector and pattern Loupe
 * proposed for it, editable, and what they read on the live page right now, or exactly why they read nothing.
 * Everything shown about the page (its text, its attributes) is rendered as text nodes only.
 */
import { useId, type RefObject } from 'react';
import type { ItemField } from '@/lib/schemas';
import type { FieldProblem } from '@/lib/setup/field-check';
import { urlFieldFor, type DraftProblem, type DraftProblems, type FieldDraft } from '@/lib/setup/setup-draft';
import type { PickedElement } from '@/lib/setup/setup-protocol';

/** Every sentence of a field step, in one place. */
export const FIELD_WORDS = {
  names: { itemId: 'Item id', labelerId: 'Labeler', labelerDecision: 'Labeler’s decision', queue: 'Queue' } satisfies Record<ItemField, string>,
  required: '(required)',
  optional: '(optional)',
  instructions: {
    itemId: 'Point at the element on the page that shows the item’s id (its number or code).',
    labelerId: 'Point at the element that shows who labeled the item.',
    labelerDecision: 'Point at the element that shows what the labeler decided.',
    queue: 'Point at the element that shows the queue the item came from.',
  } satisfies Record<ItemField, string>,
  keys: 'On the page: click the element, or move with Tab and the arrow keys and press Enter. Esc cancels.',
  pick: 'Pick on the page',
  pickAgain: 'Pick again',
  stopPicking: 'Stop pointing',
  pointing: (name: string) => `Pointing at the ${name.toLowerCase()} on the page…`,
  picked: 'Picked',
  selector: 'CSS selector',
  selectorHint: 'Loupe proposed it; it must match exactly one element.',
  read: 'Read',
  readText: 'Its text',
  readAttribute: (name: string, value: string) => `Its “${name}” attribute (${value})`,
  pattern: 'Regular expression (optional)',
  urlPattern: 'Regular expression on the page address',
  patternHint: 'Keeps only part of the text: the capture group (…) is the value. Leave empty to read all of it.',
  proposedPattern: 'Loupe proposed this because the element shows more than the value.',
  group: 'Capture group',
  groupHint: '1 is the first (…) of the expression; 0 is the whole match.',
  fromUrl: 'The page address holds this value too: reading it from there survives changes to the page’s layout.',
  useUrl: 'Read it from the page address',
  useElement: 'Read it from the element instead',
  readsFromUrl: 'Read from the page address.',
  checking: 'Reading the page…',
  reads: (value: string) => `Reads: “${value}”`,
  readsFrom: (text: string) => `out of “${text}”`,
  bases: {
    id: 'Found by its id.',
    'test-attribute': 'Found by a test attribute, which tools keep stable on purpose.',
    'data-attribute': 'Found by a data attribute.',
    'accessible-name': 'Found by its accessible name.',
    class: 'Found by its class name.',
    tag: 'Found by its tag: the only one of its kind on the page.',
    path: 'Found by its position among other elements: this may stop matching when the tool’s layout changes. Edit the selector if you know a steadier one.',
  } satisfies Record<PickedElement['basis'], string>,
} as const;

/** What the page said about a source, in words. */
export const PROBLEM_WORDS = {
  'invalid-selector': 'This is not a CSS selector the browser understands.',
  'no-match': 'No element on this page matches this selector.',
  several: (count: number) =>
    `This selector matches ${count >= 50 ? '50 or more' : count} elements; it must match exactly one. Pick again, or make it more specific.`,
  'no-attribute': (name: string) => `The element has no “${name}” attribute.`,
  empty: 'What this reads is empty on this page.',
  'invalid-regex': 'This is not a valid regular expression.',
  'regex-no-match': (text: string) => `The regular expression finds nothing in “${text}”.`,
  'no-group': (groups: number) => `The regular expression has ${groups} capture group${groups === 1 ? '' : 's'}: choose a group from 0 to ${groups}.`,
  required: 'This is required.',
  selectorRequired: 'Enter a CSS selector, or pick the element again.',
  urlPatternRequired: 'Reading the page address needs a regular expression with a capture group.',
  'bad-group': 'Enter a whole number from 0 to 20.',
  'not-picked': 'Pick the element that shows the item id first: Loupe cannot tell items apart without it.',
  'bad-id': 'Use lowercase letters, digits and single dashes, e.g. “casebook”.',
  'id-taken': 'Another site already has this id.',
  'bad-match': (line: number) => `Line ${line} is not a match pattern like https://tool.example.com/review/*`,
  'not-covering': 'These pages do not include the page you are on: Loupe would never run here.',
} as const;

export function pageProblemText(problem: FieldProblem): string {
  switch (problem.kind) {
    case 'several':
      return PROBLEM_WORDS.several(problem.count);
    case 'no-attribute':
      return PROBLEM_WORDS['no-attribute'](problem.attribute);
    case 'regex-no-match':
      return PROBLEM_WORDS['regex-no-match'](problem.text);
    case 'no-group':
      return PROBLEM_WORDS['no-group'](problem.groups);
    default:
      return PROBLEM_WORDS[problem.kind];
  }
}

export function draftProblemText(problem: DraftProblem, where?: 'selector' | 'url-pattern'): string {
  switch (problem.kind) {
    case 'required':
      return where === 'selector' ? PROBLEM_WORDS.selectorRequired : where === 'url-pattern' ? PROBLEM_WORDS.urlPatternRequired : PROBLEM_WORDS.required;
    case 'bad-match':
      return PROBLEM_WORDS['bad-match'](problem.line);
    default:
      return PROBLEM_WORDS[problem.kind];
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
  const name = FIELD_WORDS.names[field];
  const required = field === 'itemId';
  const readingId = `${id}-reading`;
  const picked = draft?.picked ?? null;
  const urlAlternative = draft?.from === 'dom' && reading.state === 'read' ? urlFieldFor(url, reading.value, picked) : null;

  return (
    <section className="setup-field" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {name} <span className="loupe-quiet">{required ? FIELD_WORDS.required : FIELD_WORDS.optional}</span>
      </h2>
      <p>{FIELD_WORDS.instructions[field]}</p>
      <p className="loupe-hint">{FIELD_WORDS.keys}</p>
      <div className="loupe-actions">
        {picking ? (
          <button type="button" onClick={onStopPicking}>
            {FIELD_WORDS.stopPicking}
          </button>
        ) : (
          <button type="button" className={picked || draft ? undefined : 'loupe-primary'} onClick={onPick}>
            {picked || draft ? FIELD_WORDS.pickAgain : FIELD_WORDS.pick}
          </button>
        )}
      </div>
      {picking ? (
        <p role="status" className="loupe-banner">
          {FIELD_WORDS.pointing(name)}
        </p>
      ) : null}

      {picked ? (
        <div className="setup-picked">
          <p>
            {FIELD_WORDS.picked}: <span className="setup-code">{picked.description}</span>
          </p>
          <p className={picked.basis === 'path' ? 'setup-warning' : 'loupe-hint'}>{FIELD_WORDS.bases[picked.basis]}</p>
        </div>
      ) : null}

      {draft?.from === 'dom' ? (
        <DomSourceFields draft={draft} problems={problems} readingId={readingId} onEdit={onEdit} />
      ) : null}
      {draft?.from === 'url' ? (
        <>
          <p>{FIELD_WORDS.readsFromUrl}</p>
          <TextInput
            label={FIELD_WORDS.urlPattern}
            value={draft.pattern}
            problem={problems.pattern ? draftProblemText(problems.pattern, 'url-pattern') : undefined}
            describedBy={readingId}
            onChange={(pattern) => onEdit({ pattern })}
          />
          <TextInput
            label={FIELD_WORDS.group}
            hint={FIELD_WORDS.groupHint}
            value={draft.group}
            inputMode="numeric"
            problem={problems.group ? draftProblemText(problems.group) : undefined}
            onChange={(group) => onEdit({ group })}
          />
          {picked ? (
            <button type="button" onClick={() => onReplace({ from: 'dom', selector: picked.selector, attribute: '', pattern: '', group: '1', picked })}>
              {FIELD_WORDS.useElement}
            </button>
          ) : null}
        </>
      ) : null}

      {draft ? <Reading id={readingId} reading={reading} /> : null}

      {urlAlternative ? (
        <div className="setup-alternative">
          <p>{FIELD_WORDS.fromUrl}</p>
          <button type="button" onClick={() => onReplace(urlAlternative)}>
            {FIELD_WORDS.useUrl}
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
  const attributes = draft.picked?.attributes ?? [];
  // An attribute typed in an earlier setup stays choosable even when this pick did not offer it.
  const offered = draft.attribute && !attributes.some((a) => a.name === draft.attribute) ? [...attributes, { name: draft.attribute, value: '…' }] : attributes;
  const proposed = draft.picked !== null && draft.pattern !== '';
  return (
    <>
      <TextInput
        label={FIELD_WORDS.selector}
        hint={FIELD_WORDS.selectorHint}
        value={draft.selector}
        code
        problem={problems.selector ? draftProblemText(problems.selector, 'selector') : undefined}
        describedBy={readingId}
        onChange={(selector) => onEdit({ selector })}
      />
      {offered.length > 0 ? (
        <div className="loupe-field">
          <label htmlFor={selectId}>{FIELD_WORDS.read}</label>
          <select id={selectId} value={draft.attribute} onChange={(event) => onEdit({ attribute: event.target.value })}>
            <option value="">{FIELD_WORDS.readText}</option>
            {offered.map((attribute) => (
              <option key={attribute.name} value={attribute.name}>
                {FIELD_WORDS.readAttribute(attribute.name, attribute.value)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <TextInput
        label={FIELD_WORDS.pattern}
        hint={proposed ? `${FIELD_WORDS.proposedPattern} ${FIELD_WORDS.patternHint}` : FIELD_WORDS.patternHint}
        value={draft.pattern}
        code
        problem={problems.pattern ? draftProblemText(problems.pattern) : undefined}
        describedBy={readingId}
        onChange={(pattern) => onEdit({ pattern })}
      />
      {draft.pattern.trim() ? (
        <TextInput
          label={FIELD_WORDS.group}
          hint={FIELD_WORDS.groupHint}
          value={draft.group}
          inputMode="numeric"
          problem={problems.group ? draftProblemText(problems.group) : undefined}
          onChange={(group) => onEdit({ group })}
        />
      ) : null}
    </>
  );
}

/** The live reading: a polite status region, so a screen reader hears the value (or the problem) as it changes. */
function Reading({ id, reading }: { id: string; reading: FieldReading }) {
  return (
    <div id={id} role="status" className={`setup-reading setup-reading--${reading.state}`} data-testid="setup-reading">
      {reading.state === 'checking' ? <p>{FIELD_WORDS.checking}</p> : null}
      {reading.state === 'read' ? (
        <>
          <p className="setup-value">{FIELD_WORDS.reads(reading.value)}</p>
          {reading.text && reading.text !== reading.value ? <p className="loupe-hint">{FIELD_WORDS.readsFrom(reading.text)}</p> : null}
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
