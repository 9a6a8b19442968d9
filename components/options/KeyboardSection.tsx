import type { ErrorTag, HotkeyCommand, Hotkeys, Settings } from '../../lib/schemas';
import { SaveBar, SectionMessages, TextField } from './Field';
import { issueMessage, type FieldErrors, type Issue, type SplitIssues } from './form-issues';
import type { SaveSettings } from './types';
import { useSectionForm } from './use-section-form';

export const COMMAND_LABELS: Record<HotkeyCommand, string> = {
  correct: 'Mark correct',
  incorrect: 'Mark incorrect',
  unsure: 'Mark unsure',
  save: 'Save the verdict',
  undo: 'Undo the last verdict',
  help: 'Show the keys',
  togglePanel: 'Show or hide the panel',
  annotate: 'Pin a note to the page',
  shieldMedia: 'Media shield on or off',
  revealMedia: 'Reveal the item\'s pictures',
};

const COMMANDS = Object.keys(COMMAND_LABELS) as HotkeyCommand[];

/** Issues of a refused save of `draft`, each at the command it is about where there is one. */
function placeIssues(issues: readonly Issue[], draft: Hotkeys, tags: readonly ErrorTag[]): SplitIssues {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const issue of issues) {
    const [head, second, third, fourth] = issue.path;
    if (head === 'hotkeys' && typeof second === 'string') {
      fields[second] ??= issueMessage(issue);
    } else if (head === 'taxonomy' && second === 'tags' && typeof third === 'number' && fourth === 'hotkey') {
      // A command key that an error tag already uses: the schema reports it on the tag, but the person just
      // changed the command key, so say it at the command.
      const tag = tags[third];
      const command = COMMANDS.find((c) => draft[c].trim().toLowerCase() === tag?.hotkey?.toLowerCase());
      const message = `“${tag?.hotkey ?? ''}” is already the key of the error tag “${tag?.label ?? ''}”.`;
      if (command) fields[command] ??= message;
      else other.push(message);
    } else {
      other.push(`${issue.path.map(String).join(' › ')}: ${issueMessage(issue)}`);
    }
  }
  return { fields, other };
}

export function KeyboardSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { draft, update, errors, problems, status, invalid, busy, unsaved, formRef, onSubmit } = useSectionForm({
    section: 'keyboard',
    settings,
    save,
    toDraft: (saved) => saved.hotkeys,
    toChange: (draft) => (current) => ({ ...current, hotkeys: draft }),
    placeIssues: (issues, draft) => placeIssues(issues, draft, settings.taxonomy.tags),
    savedText: () => 'Keys saved.',
  });

  return (
    <section className="section" aria-labelledby="keyboard-title" id="keyboard">
      <h2 id="keyboard-title">Keyboard</h2>
      <p className="section__intro">
        Keys work on the labeling page and in the panel, except while you type in a text field. Write a key as
        “1”, “m”, “Enter”, or with modifiers as “Mod+z” (Mod is Ctrl, or ⌘ on a Mac), “Alt+l”, “Shift+?”. Error
        tags have their own keys, set under Error tags.
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <div className="keys">
          {COMMANDS.map((command) => (
            <TextField
              key={command}
              label={COMMAND_LABELS[command]}
              value={draft[command]}
              error={errors[command]}
              onChange={(value) => update((current) => ({ ...current, [command]: value }))}
            />
          ))}
        </div>
        <SectionMessages invalid={invalid} problems={problems} status={status} />
        <SaveBar label="Save keys" busy={busy} unsaved={unsaved} />
      </form>
    </section>
  );
}
