/**
 * The last step of site setup (issue 7): name the site, say which pages are it, see what every field reads on this
 * page, and save. The Save click asks the browser for the site's pages first (the prompt needs that click).
 */
import { useId, type RefObject } from 'react';
import { ITEM_FIELDS, type ItemField } from '@/lib/schemas';
import type { DraftProblems, SetupDraft } from '@/lib/setup/setup-draft';
import { draftProblemText, FIELD_WORDS, TextInput, type FieldReading } from './SiteSetupField';

export const REVIEW_WORDS = {
  title: 'Name and save',
  intro: 'Loupe checks every field on this page again before it saves, and on every next item the panel says if one stops matching.',
  name: 'Site name',
  id: 'Site id',
  idHint: 'Audits refer to this id, so it cannot change later.',
  idFixed: 'Audits refer to this id, so it cannot change.',
  match: 'Pages',
  matchHint: 'Loupe runs on these pages only, one match pattern per line, e.g. https://tool.example.com/review/*',
  fields: 'What each field reads on this page',
  skipped: 'Not read (skipped)',
  goTo: (name: string) => `Change ${name.toLowerCase()}`,
  checkAgain: 'Check again',
  save: 'Save and turn on',
  saving: 'Saving…',
  access: 'Your browser will ask you to let Loupe read these pages.',
} as const;

interface SiteSetupReviewProps {
  draft: SetupDraft;
  /** The profile being set up again, if any: its id is fixed. */
  existingId: string | null;
  problems: DraftProblems;
  readings: Record<ItemField, FieldReading>;
  saving: boolean;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onEdit(key: 'name' | 'id' | 'match', value: string): void;
  onGoTo(field: ItemField): void;
  onCheckAgain(): void;
  onSave(): void;
}

export function SiteSetupReview({ draft, existingId, problems, readings, headingRef, onEdit, onGoTo }: Omit<SiteSetupReviewProps, 'saving' | 'onCheckAgain' | 'onSave'>) {
  const id = useId();
  const matchId = `${id}-match`;
  const problemText = (key: string) => (problems[key] ? draftProblemText(problems[key]) : undefined);
  return (
    <section className="setup-review" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {REVIEW_WORDS.title}
      </h2>
      <p className="loupe-hint">{REVIEW_WORDS.intro}</p>
      <TextInput label={REVIEW_WORDS.name} value={draft.name} problem={problemText('name')} onChange={(value) => onEdit('name', value)} />
      {existingId ? (
        <p>
          {REVIEW_WORDS.id}: <span className="setup-code">{existingId}</span> <span className="loupe-hint">{REVIEW_WORDS.idFixed}</span>
        </p>
      ) : (
        <TextInput label={REVIEW_WORDS.id} hint={REVIEW_WORDS.idHint} value={draft.id} code problem={problemText('id')} onChange={(value) => onEdit('id', value)} />
      )}
      <div className="loupe-field">
        <label htmlFor={matchId}>{REVIEW_WORDS.match}</label>
        <textarea
          id={matchId}
          className="setup-code"
          rows={2}
          spellCheck={false}
          value={draft.match}
          aria-invalid={problems.match ? true : undefined}
          aria-describedby={`${matchId}-hint${problems.match ? ` ${matchId}-problem` : ''}`}
          onChange={(event) => onEdit('match', event.target.value)}
        />
        <p id={`${matchId}-hint`} className="loupe-hint">
          {REVIEW_WORDS.matchHint}
        </p>
        {problems.match ? (
          <p id={`${matchId}-problem`} className="setup-problem">
            {problemText('match')}
          </p>
        ) : null}
      </div>

      <h3>{REVIEW_WORDS.fields}</h3>
      <ul className="setup-summary" aria-label={REVIEW_WORDS.fields}>
        {ITEM_FIELDS.map((field) => (
          <SummaryRow
            key={field}
            field={field}
            skipped={draft.fields[field] === null}
            reading={readings[field]}
            problem={problemsOfField(problems, field)}
            onGoTo={() => onGoTo(field)}
          />
        ))}
      </ul>
      <p className="loupe-hint">{REVIEW_WORDS.access}</p>
    </section>
  );
}

/** The review step's buttons, in the footer beside "Back" so they stay in view however long the summary is. */
export function SiteSetupReviewActions({ saving, onCheckAgain, onSave }: Pick<SiteSetupReviewProps, 'saving' | 'onCheckAgain' | 'onSave'>) {
  return (
    <>
      <button type="button" onClick={onCheckAgain}>
        {REVIEW_WORDS.checkAgain}
      </button>
      <button type="button" className="loupe-primary" aria-disabled={saving || undefined} onClick={onSave}>
        {saving ? REVIEW_WORDS.saving : REVIEW_WORDS.save}
      </button>
    </>
  );
}

/** The first problem found in a field's own inputs (or its absence), in words. */
function problemsOfField(problems: DraftProblems, field: ItemField): string | undefined {
  const own = Object.entries(problems).find(([key]) => key === `fields.${field}` || key.startsWith(`fields.${field}.`));
  if (!own) return undefined;
  const [key, problem] = own;
  return draftProblemText(problem, key.endsWith('.selector') ? 'selector' : undefined);
}

function SummaryRow({ field, skipped, reading, problem, onGoTo }: { field: ItemField; skipped: boolean; reading: FieldReading; problem: string | undefined; onGoTo(): void }) {
  const name = FIELD_WORDS.names[field];
  let text: string;
  let bad = false;
  if (problem) {
    text = problem;
    bad = true;
  } else if (skipped) {
    text = REVIEW_WORDS.skipped;
  } else if (reading.state === 'read') {
    text = FIELD_WORDS.reads(reading.value);
  } else if (reading.state === 'problem') {
    text = reading.text;
    bad = true;
  } else {
    text = FIELD_WORDS.checking;
  }
  return (
    <li className={bad ? 'setup-summary-row setup-summary-row--bad' : 'setup-summary-row'}>
      <span className="setup-summary-name">{name}</span>
      <span className={bad ? 'setup-problem' : undefined}>{text}</span>
      <button type="button" className="setup-link" onClick={onGoTo} aria-label={REVIEW_WORDS.goTo(name)}>
        {REVIEW_WORDS.goTo(name)}
      </button>
    </li>
  );
}
