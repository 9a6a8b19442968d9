/**
 * The last step of site setup (issue 7): name the site, say which pages are it, see what every field reads on this
 * page, and save. The Save click asks the browser for the site's pages first (the prompt needs that click).
 */
import { useId, type RefObject } from 'react';
import { ITEM_FIELDS, type ItemField } from '@/lib/schemas';
import type { DraftProblems, SetupDraft } from '@/lib/setup/setup-draft';
import { richText } from '@/lib/i18n/react';
import { useT, type PanelT } from './i18n';
import { draftProblemText, TextInput, type FieldReading } from './SiteSetupField';

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
  const { t, parts } = useT();
  const matchId = `${id}-match`;
  const problemText = (key: string) => (problems[key] ? draftProblemText(problems[key], t) : undefined);
  return (
    <section className="setup-review" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {t('setup.review.title')}
      </h2>
      <p className="loupe-hint">{t('setup.review.intro')}</p>
      <TextInput label={t('setup.review.name')} value={draft.name} problem={problemText('name')} onChange={(value) => onEdit('name', value)} />
      {existingId ? (
        <p>
          {richText(parts('setup.review.idIs', { id: <span className="setup-code">{existingId}</span> }))}{' '}
          <span className="loupe-hint">{t('setup.review.idFixed')}</span>
        </p>
      ) : (
        <TextInput label={t('setup.review.id')} hint={t('setup.review.idHint')} value={draft.id} code problem={problemText('id')} onChange={(value) => onEdit('id', value)} />
      )}
      <div className="loupe-field">
        <label htmlFor={matchId}>{t('setup.review.match')}</label>
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
          {t('setup.review.matchHint')}
        </p>
        {problems.match ? (
          <p id={`${matchId}-problem`} className="setup-problem">
            {problemText('match')}
          </p>
        ) : null}
      </div>

      <h3>{t('setup.review.fields')}</h3>
      <ul className="setup-summary" aria-label={t('setup.review.fields')}>
        {ITEM_FIELDS.map((field) => (
          <SummaryRow
            key={field}
            field={field}
            skipped={draft.fields[field] === null}
            reading={readings[field]}
            problem={problemsOfField(problems, field, t)}
            onGoTo={() => onGoTo(field)}
          />
        ))}
      </ul>
      <p className="loupe-hint">{t('setup.review.access')}</p>
    </section>
  );
}

/** The review step's buttons, in the footer beside "Back" so they stay in view however long the summary is. */
export function SiteSetupReviewActions({ saving, onCheckAgain, onSave }: Pick<SiteSetupReviewProps, 'saving' | 'onCheckAgain' | 'onSave'>) {
  const { t } = useT();
  return (
    <>
      <button type="button" onClick={onCheckAgain}>
        {t('setup.review.checkAgain')}
      </button>
      <button type="button" className="loupe-primary" aria-disabled={saving || undefined} onClick={onSave}>
        {saving ? t('setup.review.saving') : t('setup.review.save')}
      </button>
    </>
  );
}

/** The first problem found in a field's own inputs (or its absence), in words. */
function problemsOfField(problems: DraftProblems, field: ItemField, t: PanelT['t']): string | undefined {
  const own = Object.entries(problems).find(([key]) => key === `fields.${field}` || key.startsWith(`fields.${field}.`));
  if (!own) return undefined;
  const [key, problem] = own;
  return draftProblemText(problem, t, key.endsWith('.selector') ? 'selector' : undefined);
}

function SummaryRow({ field, skipped, reading, problem, onGoTo }: { field: ItemField; skipped: boolean; reading: FieldReading; problem: string | undefined; onGoTo(): void }) {
  const { t } = useT();
  const name = t(`common.field.${field}`);
  const goTo = t('setup.review.goTo', { field: t(`setup.fieldInSentence.${field}`) });
  let text: string;
  let bad = false;
  if (problem) {
    text = problem;
    bad = true;
  } else if (skipped) {
    text = t('setup.review.skipped');
  } else if (reading.state === 'read') {
    text = t('setup.field.reads', { value: reading.value });
  } else if (reading.state === 'problem') {
    text = reading.text;
    bad = true;
  } else {
    text = t('setup.field.checking');
  }
  return (
    <li className={bad ? 'setup-summary-row setup-summary-row--bad' : 'setup-summary-row'}>
      <span className="setup-summary-name">{name}</span>
      <span className={bad ? 'setup-problem' : undefined}>{text}</span>
      <button type="button" className="setup-link" onClick={onGoTo}>
        {goTo}
      </button>
    </li>
  );
}
