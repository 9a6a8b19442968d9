/** Options → Sites → "Add a ready-made profile": one of the tools Loupe ships a profile for, and its pages. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { isValidMatchPattern } from '../../lib/match-pattern';
import { READY_MADE_PROFILES, siteProfileFrom, type ReadyMadeProfile } from '../../lib/profiles/ready-made';
import type { SiteProfile } from '../../lib/schemas';
import { Field } from './Field';

/** What the ready-made profile form says (issue 7), in one place. */
export const READY_MADE_WORDS = {
  open: 'Add a ready-made profile',
  title: 'Add a ready-made profile',
  intro: 'Profiles for labeling tools Loupe already knows. Choose yours and say where your team’s copy runs.',
  tool: 'Tool',
  pages: 'Pages',
  pagesHint: 'Where your copy of the tool runs, one match pattern per line, e.g. https://modqueue.example.com/*',
  pagesRequired: 'Add at least one match pattern.',
  badPattern: (line: number) => `Line ${line}: write a match pattern like "https://tool.example.com/review/*".`,
  add: 'Add and turn on',
  cancel: 'Cancel',
  addedOn: (name: string) => `${name} is added and on. Loupe runs on its pages from their next load.`,
  addedOff: (name: string, refusal: string) => `${name} is added, but turned off. ${refusal}`,
} as const;

export interface ReadyMadeProfileFormProps {
  takenIds: readonly string[];
  onAdd: (profile: SiteProfile) => void;
  onCancel: () => void;
}

/** Chooses a ready-made profile (lib/profiles/ready-made.ts) and the pages it is for. */
export function ReadyMadeProfileForm({ takenIds, onAdd, onCancel }: ReadyMadeProfileFormProps) {
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
    const problem = lines.length === 0 ? READY_MADE_WORDS.pagesRequired : bad >= 0 ? READY_MADE_WORDS.badPattern(bad + 1) : undefined;
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
        {READY_MADE_WORDS.title}
      </h3>
      <p className="section__intro">{READY_MADE_WORDS.intro}</p>
      <fieldset className="source">
        <legend>{READY_MADE_WORDS.tool}</legend>
        {READY_MADE_PROFILES.map((ready) => (
          <label key={ready.id} className="toggle">
            <input type="radio" name={`${groupId}-tool`} checked={ready === chosen} onChange={() => choose(ready)} />
            <span>
              <strong>{ready.name}</strong> — {ready.description}
            </span>
          </label>
        ))}
      </fieldset>
      <Field label={READY_MADE_WORDS.pages} hint={READY_MADE_WORDS.pagesHint} error={error}>
        {(control) => (
          <textarea {...control} ref={pagesRef} rows={2} spellCheck={false} value={pages} onChange={(event) => setPages(event.target.value)} />
        )}
      </Field>
      <div className="save-bar">
        <button type="submit" className="button button--primary">
          {READY_MADE_WORDS.add}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {READY_MADE_WORDS.cancel}
        </button>
      </div>
    </form>
  );
}
