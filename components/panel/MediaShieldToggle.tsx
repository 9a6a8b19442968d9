/**
 * The media shield in the panel (issue 7, Wellbeing): whether this site's pictures and videos are shown as they
 * are, blurred or greyed until the analyst reveals one. The choice is part of the site's panel layout, so it is
 * remembered per site and saved through `client.setLayout` like the panel's side; the content script draws the
 * covers (lib/content/media-shield.ts) when the worker passes the layout on.
 *
 * `useMediaShieldKey` runs the shield key (`hotkeys.shieldMedia`): typed on the page, it reaches the panel as a
 * command, because the panel is what stores layouts; typed in the panel, it is read here. It lives in its own hook
 * so the key works while the panel is folded, when this control is not rendered.
 */
import { memo, useEffect, useEffectEvent, useId, useState } from 'react';
import { commandForKey, formatHotkey, isEditableTarget } from '@/lib/hotkeys';
import type { PanelClient } from '@/lib/panel-client';
import { describeFailure } from '@/lib/problems';
import type { PanelContext } from '@/lib/protocol';
import { MEDIA_MODES, type Hotkeys, type MediaMode, type PanelLayout } from '@/lib/schemas';
import { useT, type PanelT } from './i18n';
import { ariaKeyShortcut, messageOf, worksWhileTyping } from './labels';
import { usePanelStoreApi } from './panel-store';

/** What the shield key turns the site to: off when a shield is on (blurred or grey), blurred when it is off. */
export function nextMediaMode(current: MediaMode | undefined): MediaMode {
  return (current ?? 'shown') === 'shown' ? 'blurred' : 'shown';
}

/** Stores `mode` in the site's layout; the reason when it could not be, null when it was. */
async function saveMediaMode(client: PanelClient, layout: PanelLayout, mode: MediaMode, t: PanelT['t']): Promise<string | null> {
  try {
    const reply = await client.setLayout({ ...layout, media: mode });
    return reply.ok ? null : describeFailure(reply.error, { t });
  } catch (failure) {
    return messageOf(failure, t('panel.media.unreachable'));
  }
}

export interface MediaShieldKeyOptions {
  client: PanelClient;
  context: PanelContext | null;
  isMac: boolean;
}

/**
 * Saves a choice and says how it went in the panel's status line, as the panel's other layout changes do: from the
 * page the key changes only the pictures, which a screen reader would not announce. True when it was saved.
 */
function useSaveMediaMode(client: PanelClient) {
  const store = usePanelStoreApi();
  const { t } = useT();
  return async (layout: PanelLayout, mode: MediaMode): Promise<boolean> => {
    const failure = await saveMediaMode(client, layout, mode, t);
    store.getState().setNotice(failure ? { kind: 'alert', text: failure } : { kind: 'status', text: t(`panel.media.status.${mode}`) });
    return failure === null;
  };
}

/** The shield key, from the page or typed in the panel. */
export function useMediaShieldKey({ client, context, isMac }: MediaShieldKeyOptions) {
  const store = usePanelStoreApi();
  const save = useSaveMediaMode(client);

  async function toggle() {
    if (context) await save(context.layout, nextMediaMode(context.layout.media));
  }

  function onKey(event: KeyboardEvent) {
    if (!context || event.isComposing || event.repeat || store.getState().helpOpen) return;
    if (commandForKey(event, context.hotkeys, [], isMac)?.kind !== 'shield-media') return;
    const target = event.composedPath()[0] ?? event.target;
    if (isEditableTarget(target) && !worksWhileTyping(context.hotkeys.shieldMedia)) return;
    event.preventDefault();
    void toggle();
  }

  // Declared after what they call (the compiler's rule): the listeners see the latest render's values.
  const onCommand = useEffectEvent(() => void toggle());
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => onKey(event));
  useEffect(
    () =>
      client.onCommand((command) => {
        if (command.kind === 'shield-media') onCommand();
      }),
    [client],
  );
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}

export interface MediaShieldToggleProps {
  client: PanelClient;
  layout: PanelLayout;
  hotkeys: Pick<Hotkeys, 'shieldMedia' | 'revealMedia'>;
  isMac: boolean;
}

/**
 * "Media: Shown / Blurred / Grey" as a native <select>: one line in a narrow panel, operated by keyboard as any
 * select is (arrow keys change it, and the panel's letter and digit keys stand aside while it has focus).
 */
// Memoised: the panel renders again on every change to its store; this is the shield's control, whose props change
// only with the layout.
export const MediaShieldToggle = memo(function MediaShieldToggle({ client, layout, hotkeys, isMac }: MediaShieldToggleProps) {
  const selectId = useId();
  const hintId = useId();
  const { t } = useT();
  const stored = layout.media ?? 'shown';
  // A choice on its way shows at once; whatever the worker pushes back afterwards takes over.
  const [pending, setPending] = useState<{ mode: MediaMode; over: MediaMode } | null>(null);
  const shown = pending?.over === stored ? pending.mode : stored;
  const save = useSaveMediaMode(client);

  async function choose(mode: MediaMode) {
    setPending({ mode, over: stored });
    if (!(await save(layout, mode))) setPending(null);
  }

  const shieldKey = formatHotkey(hotkeys.shieldMedia, isMac);
  const hint = t('panel.media.hint', { revealKey: formatHotkey(hotkeys.revealMedia, isMac), shieldKey });
  return (
    <div className="loupe-media-shield" title={hint}>
      <label htmlFor={selectId}>{t('panel.media.label')}</label>
      <select
        id={selectId}
        value={shown}
        aria-describedby={hintId}
        aria-keyshortcuts={ariaKeyShortcut(hotkeys.shieldMedia, isMac)}
        onChange={(event) => void choose(event.target.value as MediaMode)}
      >
        {MEDIA_MODES.map((mode) => (
          <option key={mode} value={mode}>
            {t(`panel.media.${mode}`)}
          </option>
        ))}
      </select>
      <kbd aria-hidden="true">{shieldKey}</kbd>
      <span id={hintId} className="visually-hidden">
        {hint}
      </span>
    </div>
  );
});
