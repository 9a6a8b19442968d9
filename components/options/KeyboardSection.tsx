import { useState, type FormEvent } from 'react';
import type { HotkeyCommand, Hotkeys, Settings } from '../../lib/schemas';
import { SectionMessages, TextField, type StatusMessage } from './Field';
import { issueMessage, type FieldErrors } from './form-issues';
import { RELOAD_NOTE, type SaveSettings } from './types';
import { useFocusFirstInvalid, useUnsavedFlag } from './use-section-draft';

export const COMMAND_LABELS: Record<HotkeyCommand, string> = {
  correct: 'Mark correct',
  incorrect: 'Mark incorrect',
  unsure: 'Mark unsure',
  save: 'Save the verdict',
  undo: 'Undo the last verdict',
  help: 'Show the keys',
  togglePanel: 'Show or hide the panel',
};

const COMMANDS = Object.keys(COMMAND_LABELS) as HotkeyCommand[];

export function KeyboardSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const [saved, setSaved] = useState<Hotkeys>(settings.hotkeys);
  const [draft, setDraft] = useState<Hotkeys>(settings.hotkeys);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const [failedAttempts, setFailedAttempts] = useState(0);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstInvalid(failedAttempts);
  const unsaved = JSON.stringify(draft) !== JSON.stringify(saved);
  useUnsavedFlag('keyboard', unsaved);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setStatus(null);
    setBusy(true);
    const result = await save((current) => ({ ...current, hotkeys: draft }));
    setBusy(false);
    if (!result.ok) {
      const fields: FieldErrors = {};
      const other: string[] = [];
      for (const issue of result.issues) {
        const [head, second, third, fourth] = issue.path;
        if (head === 'hotkeys' && typeof second === 'string') {
          fields[second] ??= issueMessage(issue);
        } else if (head === 'taxonomy' && second === 'tags' && typeof third === 'number' && fourth === 'hotkey') {
          // A command key that an error tag already uses: the schema reports it on the tag, but the person just
          // changed the command key, so say it at the command.
          const tag = settings.taxonomy.tags[third];
          const command = COMMANDS.find((c) => draft[c].trim().toLowerCase() === tag?.hotkey?.toLowerCase());
          const message = `“${tag?.hotkey ?? ''}” is already the key of the error tag “${tag?.label ?? ''}”.`;
          if (command) fields[command] ??= message;
          else other.push(message);
        } else {
          other.push(`${issue.path.map(String).join(' › ')}: ${issueMessage(issue)}`);
        }
      }
      setErrors(fields);
      setProblems(other);
      if (result.error) setStatus({ kind: 'error', text: `Not saved: ${result.error}` });
      else setFailedAttempts((n) => n + 1);
      return;
    }
    setSaved(result.settings.hotkeys);
    setDraft(result.settings.hotkeys);
    setErrors({});
    setProblems([]);
    setStatus({ kind: 'success', text: 'Keys saved.', ...(result.notified ? {} : { note: RELOAD_NOTE }) });
  }

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
              onChange={(value) => {
                setStatus(null);
                setDraft((current) => ({ ...current, [command]: value }));
              }}
            />
          ))}
        </div>
        <SectionMessages invalid={Object.keys(errors).length > 0} problems={problems} status={status} />
        <div className="save-bar">
          <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>
            Save keys
          </button>
          {unsaved ? <span className="unsaved">Unsaved changes</span> : null}
        </div>
      </form>
    </section>
  );
}
