/** Every key the panel answers to, including each error tag's. Escape closes it; <Panel> restores focus. */
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { formatHotkey } from '@/lib/hotkeys';
import type { ErrorTag, HotkeyCommand, Hotkeys } from '@/lib/schemas';
import { useT } from './i18n';

/** In the order the list shows them. */
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
  const { t } = useT();
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

  return (
    <div className="loupe-help-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} className="loupe-help" onKeyDown={onKeyDown}>
        <div className="loupe-help-head">
          <h2 id={`${id}-title`}>{t('panel.help.title')}</h2>
          <button ref={closeRef} type="button" className="loupe-icon-button" aria-label={t('panel.help.close')} onClick={onClose}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <p className="loupe-hint">{t('panel.help.intro')}</p>
        <dl className="loupe-keys">
          {COMMANDS.map((command) => (
            <div key={command}>
              <dt>
                <kbd>{formatHotkey(hotkeys[command], isMac)}</kbd>
              </dt>
              <dd>{t(`panel.help.command.${command}`)}</dd>
            </div>
          ))}
          <div>
            <dt>
              <kbd>/</kbd>
            </dt>
            <dd>{t('panel.help.searchTags')}</dd>
          </div>
          <div>
            <dt>
              <kbd>Shift+Enter</kbd>
            </dt>
            <dd>{t('panel.help.newLine')}</dd>
          </div>
          <div>
            <dt>
              <kbd>Esc</kbd>
            </dt>
            <dd>{t('panel.help.back')}</dd>
          </div>
        </dl>
        <h3>{t('panel.help.tags')}</h3>
        <dl className="loupe-keys">
          {tags.map((tag) => (
            <div key={tag.id}>
              <dt>{tag.hotkey ? <kbd>{formatHotkey(tag.hotkey, isMac)}</kbd> : <span className="loupe-quiet">{t('panel.help.noKey')}</span>}</dt>
              <dd>{tag.label}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
