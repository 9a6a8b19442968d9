/**
 * The three verdicts as one radio group (one Tab stop, arrows move between them). Arrows move focus only and do
 * not choose: choosing Correct saves at once, so a stray arrow must never record a verdict.
 */
import { useRef, type KeyboardEvent, type Ref } from 'react';
import { formatHotkey } from '@/lib/hotkeys';
import { VERDICTS, type Hotkeys, type Verdict } from '@/lib/schemas';
import { useT } from './i18n';
import { ariaKeyShortcut } from './labels';

export function VerdictButtons({
  value,
  hotkeys,
  isMac,
  onChoose,
  groupRef,
}: {
  value: Verdict | null;
  hotkeys: Hotkeys;
  isMac: boolean;
  onChoose: (verdict: Verdict) => void;
  /** The element focused when the analyst must pick a verdict first. */
  groupRef?: Ref<HTMLDivElement>;
}) {
  const { t } = useT();
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const tabStop = value === null ? 0 : VERDICTS.indexOf(value);

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    buttons.current[(index + step + VERDICTS.length) % VERDICTS.length]?.focus();
  }

  return (
    <div
      role="radiogroup"
      aria-label={t('panel.verdicts.label')}
      className="loupe-verdicts"
      ref={groupRef}
      tabIndex={-1}
      onFocus={(event) => {
        // Focus sent to the group (after "choose a verdict first") lands on its Tab stop.
        if (event.target === event.currentTarget) buttons.current[tabStop]?.focus();
      }}
    >
      {VERDICTS.map((verdict, index) => (
        <button
          key={verdict}
          type="button"
          role="radio"
          aria-checked={value === verdict}
          aria-keyshortcuts={ariaKeyShortcut(hotkeys[verdict], isMac)}
          tabIndex={index === tabStop ? 0 : -1}
          className={`loupe-verdict loupe-verdict-${verdict}`}
          ref={(element) => {
            buttons.current[index] = element;
          }}
          onClick={() => onChoose(verdict)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          <span>{t(`common.verdict.${verdict}`)}</span>
          <kbd aria-hidden="true">{formatHotkey(hotkeys[verdict], isMac)}</kbd>
        </button>
      ))}
    </div>
  );
}
