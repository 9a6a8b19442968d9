/** Every key the panel answers to, including each error tag's. Escape closes it; <Panel> restores focus. */
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { formatHotkey } from '@/lib/hotkeys';
import type { ErrorTag, HotkeyCommand, Hotkeys } from '@/lib/schemas';

const COMMAND_LABELS: Record<HotkeyCommand, string> = {
  correct: 'Correct (saves at once)',
  incorrect: 'Incorrect, then pick error tags',
  unsure: 'Unsure, then write a note',
  save: 'Save the verdict',
  undo: 'Take back the last verdict',
  help: 'Show or hide these shortcuts',
  togglePanel: 'Fold or unfold the panel',
  annotate: 'Pin a note to the page (select text or click an element)',
  shieldMedia: 'Blur the pictures on this site, or show them again',
  revealMedia: 'Show every picture of this item while the shield is on',
};

export function HelpOverlay({
  hotkeys,
  tags,
  isMac,
  onClose,
}: {
  hotkeys: Hotkeys;
  tags: readonly ErrorTag[];
  isMac: boolean;
  onClose: () => void;
}) {
  const id = useId();
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeRef.current?.focus();
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Tab') {
      // Modal: the close button is the only control, so Tab stays on it.
      event.preventDefault();
      closeRef.current?.focus();
    }
  }

  const commands = Object.keys(COMMAND_LABELS) as HotkeyCommand[];
  return (
    <div className="loupe-help-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} className="loupe-help" onKeyDown={onKeyDown}>
        <div className="loupe-help-head">
          <h2 id={`${id}-title`}>Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="loupe-icon-button" aria-label="Close keyboard shortcuts" onClick={onClose}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <p className="loupe-hint">These keys also work on the labeling page, except while you type in a text field.</p>
        <dl className="loupe-keys">
          {commands.map((command) => (
            <div key={command}>
              <dt>
                <kbd>{formatHotkey(hotkeys[command], isMac)}</kbd>
              </dt>
              <dd>{COMMAND_LABELS[command]}</dd>
            </div>
          ))}
          <div>
            <dt>
              <kbd>/</kbd>
            </dt>
            <dd>Search error tags</dd>
          </div>
          <div>
            <dt>
              <kbd>Shift+Enter</kbd>
            </dt>
            <dd>New line in the note</dd>
          </div>
          <div>
            <dt>
              <kbd>Esc</kbd>
            </dt>
            <dd>Back to the labeling page</dd>
          </div>
        </dl>
        <h3>Error tags</h3>
        <dl className="loupe-keys">
          {tags.map((tag) => (
            <div key={tag.id}>
              <dt>{tag.hotkey ? <kbd>{formatHotkey(tag.hotkey, isMac)}</kbd> : <span className="loupe-quiet">no key</span>}</dt>
              <dd>{tag.label}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
