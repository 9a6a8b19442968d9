/** Options → Sites → "Add a ready-made profile": one of the tools Loupe ships a profile for, and its pages. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { isValidMatchPattern } from '../../lib/match-pattern';
import { READY_MADE_PROFILES, siteProfileFrom, type ReadyMadeProfile } from '../../lib/profiles/ready-made';
import type { SiteProfile } from '../../lib/schemas';
import { Field } from './Field';
import { useT } from './i18n';

export interface ReadyMadeProfileFormProps {
  takenIds: readonly string[];
  onAdd: (profile: SiteProfile) => void;
  onCancel: () => void;
}

/** Chooses a ready-made profile (lib/profiles/ready-made.ts) and the pages it is for. */
export function ReadyMadeProfileForm({ takenIds, onAdd, onCancel }: ReadyMadeProfileFormProps) {
  const { t } = useT();
  const [chosen, setChosen] = useState<ReadyMadeProfile>(READY_MADE_PROFILES[0]!);
  const [pages, setPages] = useState(chosen.defaultMatch.join('\n'));
  const [error, setError] = useState<string | undefined>();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const pagesRef = useRef<HTMLTextAreaElement>(null);
  const groupId = useId();

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  function choose(ready: ReadyMadeProfile) {
    // The pages follow the tool, unless the person already typed their own.
    if (pages.trim() === chosen.defaultMatch.join('\n')) setPages(ready.defaultMatch.join('\n'));
    setChosen(ready);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const lines = pages
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const bad = lines.findIndex((line) => !isValidMatchPattern(line));
    const problem =
      lines.length === 0 ? t('setup.readyMade.pagesRequired') : bad >= 0 ? t('setup.readyMade.badPattern', { line: bad + 1 }) : undefined;
    setError(problem);
    if (problem) {
      pagesRef.current?.focus();
      return;
    }
    // Straight from the submit: the permission prompt needs this gesture (see SitesSection.addReadyMade).
    onAdd(siteProfileFrom(chosen, lines, takenIds));
  }

  return (
    <form className="site-form" onSubmit={onSubmit} noValidate aria-labelledby={`${groupId}-title`}>
      <h3 id={`${groupId}-title`} ref={headingRef} tabIndex={-1}>
        {t('setup.readyMade.title')}
      </h3>
      <p className="section__intro">{t('setup.readyMade.intro')}</p>
      <fieldset className="source">
        <legend>{t('setup.readyMade.tool')}</legend>
        {READY_MADE_PROFILES.map((ready) => (
          <label key={ready.id} className="toggle">
            <input type="radio" name={`${groupId}-tool`} checked={ready === chosen} onChange={() => choose(ready)} />
            <span>
              <strong>{ready.name}</strong> — {ready.description}
            </span>
          </label>
        ))}
      </fieldset>
      <Field label={t('setup.readyMade.pages')} hint={t('setup.readyMade.pagesHint')} error={error}>
        {(control) => (
          <textarea {...control} ref={pagesRef} rows={2} spellCheck={false} value={pages} onChange={(event) => setPages(event.target.value)} />
        )}
      </Field>
      <div className="save-bar">
        <button type="submit" className="button button--primary">
          {t('setup.readyMade.add')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('options.form.cancel')}
        </button>
      </div>
    </form>
  );
}
