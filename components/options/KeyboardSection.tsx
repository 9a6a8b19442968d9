import type { ErrorTag, HotkeyCommand, Hotkeys, Settings } from '../../lib/schemas';
import { SaveBar, SectionMessages, TextField } from './Field';
import { issueAt, issueMessage, type FieldErrors, type Issue, type SplitIssues } from './form-issues';
import { useT, type OptionsT } from './i18n';
import type { SaveSettings } from './types';
import { useSectionForm } from './use-section-form';

/** In the order the form lists them; each one's label is `options.keys.command.<command>`. */
const COMMANDS: readonly HotkeyCommand[] = [
  'correct',
  'incorrect',
  'unsure',
  'save',
  'undo',
  'help',
  'togglePanel',
  'annotate',
  'shieldMedia',
  'revealMedia',
];

/** Issues of a refused save of `draft`, each at the command it is about where there is one. */
function placeIssues(issues: readonly Issue[], draft: Hotkeys, tags: readonly ErrorTag[], t: OptionsT['t']): SplitIssues {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const issue of issues) {
    const [head, second, third, fourth] = issue.path;
    if (head === 'hotkeys' && typeof second === 'string') {
      fields[second] ??= issueMessage(issue, t);
    } else if (head === 'taxonomy' && second === 'tags' && typeof third === 'number' && fourth === 'hotkey') {
      // A command key that an error tag already uses: the schema reports it on the tag, but the person just
      // changed the command key, so say it at the command.
      const tag = tags[third];
      const command = COMMANDS.find((c) => draft[c].trim().toLowerCase() === tag?.hotkey?.toLowerCase());
      const message = t('options.keys.tagKeyTaken', { key: tag?.hotkey ?? '', tag: tag?.label ?? '' });
      if (command) fields[command] ??= message;
      else other.push(message);
    } else {
      other.push(issueAt(issue.path, issueMessage(issue, t), t));
    }
  }
  return { fields, other };
}

export function KeyboardSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { t } = useT();
  const { draft, update, errors, problems, status, invalid, busy, unsaved, formRef, onSubmit } = useSectionForm({
    section: 'keyboard',
    settings,
    save,
    toDraft: (saved) => saved.hotkeys,
    toChange: (draft) => (current) => ({ ...current, hotkeys: draft }),
    placeIssues: (issues, draft) => placeIssues(issues, draft, settings.taxonomy.tags, t),
    savedText: (_saved, t) => t('options.keys.saved'),
  });

  return (
    <section className="section" aria-labelledby="keyboard-title" id="keyboard">
      <h2 id="keyboard-title">{t('options.section.keyboard')}</h2>
      <p className="section__intro">{t('options.keys.intro')}</p>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <div className="keys">
          {COMMANDS.map((command) => (
            <TextField
              key={command}
              label={t(`options.keys.command.${command}`)}
              value={draft[command]}
              error={errors[command]}
              onChange={(value) => update((current) => ({ ...current, [command]: value }))}
            />
          ))}
        </div>
        <SectionMessages invalid={invalid} problems={problems} status={status} />
        <SaveBar label={t('options.keys.save')} busy={busy} unsaved={unsaved} />
      </form>
    </section>
  );
}
