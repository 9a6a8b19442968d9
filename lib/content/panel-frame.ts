/**
 * Mounts the panel: an extension-origin iframe docked beside the labeling UI. An iframe rather than a shadow root
 * because keys typed in it never reach the page's listeners and its React runs out of the page's main thread
 * (DESIGN.md). Built by hand, without React, to keep the content script small.
 */
import type { PanelCommand } from '../hotkeys';
import type { PanelLayout } from '../schemas';

export const PANEL_WIDTH_PX = 340;
export const COLLAPSED_WIDTH_PX = 44;
export const PANEL_TOKEN_MESSAGE = 'loupe/panel-token';
/** What a page key asks of the panel: every command but revealing pictures, which the page script does itself. */
export type PanelBoundCommand = Exclude<PanelCommand, { kind: 'reveal-media' }>;
/** Keys kept while the panel loads: a verdict, its tags and a save are a handful; more is a key held down. */
export const MAX_PENDING_COMMANDS = 20;

export interface PanelFrame {
  iframe: HTMLIFrameElement;
  applyLayout(layout: PanelLayout): void;
  /** Move keyboard focus into the panel (after a verdict key that needs tags or a note next). */
  focusPanel(): void;
  /** Give keyboard focus back to the page. */
  returnFocus(): void;
  /**
   * A key pressed on the page, for the panel, straight through the channel handed over with the token: a hop
   * through the worker cost the verdict key ~9 ms (issue 6). Kept in order, and held until the frame has loaded.
   */
  sendCommand(command: PanelBoundCommand): void;
  remove(): void;
}

export interface MountPanelOptions {
  doc: Document;
  panelUrl: string;
  token: string;
  layout: PanelLayout;
  /** The frame's accessible name, in the user's language. */
  title: string;
}

const FRAME_STYLE: Partial<CSSStyleDeclaration> = {
  position: 'fixed',
  top: '0',
  height: '100vh',
  border: '0',
  margin: '0',
  padding: '0',
  zIndex: '2147483646',
  colorScheme: 'normal',
  background: 'transparent',
  boxShadow: '0 0 0 1px rgba(0,0,0,.12), 0 0 16px rgba(0,0,0,.12)',
  display: 'block',
  maxWidth: 'none',
  minWidth: '0',
  transform: 'none',
  opacity: '1',
  visibility: 'visible',
};

export function mountPanelFrame({ doc, panelUrl, token, layout, title }: MountPanelOptions): PanelFrame {
  const iframe = doc.createElement('iframe');
  iframe.src = panelUrl;
  iframe.title = title;
  iframe.setAttribute('data-loupe-panel', '');
  Object.assign(iframe.style, FRAME_STYLE);

  const root = doc.documentElement;
  const original = {
    marginLeft: root.style.getPropertyValue('margin-left'),
    marginLeftPriority: root.style.getPropertyPriority('margin-left'),
    marginRight: root.style.getPropertyValue('margin-right'),
    marginRightPriority: root.style.getPropertyPriority('margin-right'),
  };

  const applyLayout = (next: PanelLayout) => {
    const width = next.collapsed ? COLLAPSED_WIDTH_PX : PANEL_WIDTH_PX;
    iframe.style.width = `${width}px`;
    iframe.style.left = next.side === 'left' ? '0' : 'auto';
    iframe.style.right = next.side === 'right' ? '0' : 'auto';
    // Dock beside the tool rather than over it: the page's own layout narrows by the panel's width, so its
    // controls stay reachable (DESIGN.md). Restored exactly on removal.
    root.style.setProperty(next.side === 'right' ? 'margin-right' : 'margin-left', `${width}px`, 'important');
    const other = next.side === 'right' ? 'margin-left' : 'margin-right';
    const keep = other === 'margin-left' ? original.marginLeft : original.marginRight;
    const keepPriority = other === 'margin-left' ? original.marginLeftPriority : original.marginRightPriority;
    if (keep) root.style.setProperty(other, keep, keepPriority);
    else root.style.removeProperty(other);
  };

  applyLayout(layout);
  // Keys pressed before the frame has loaded wait here; a page that holds keys down cannot grow this without end.
  let pending: PanelBoundCommand[] = [];
  let keys: MessagePort | undefined;
  iframe.addEventListener(
    'load',
    () => {
      // Targeted at the extension origin: a page that swapped the frame's src cannot receive the token, nor the
      // channel. The page can post the panel channels of its own, but with a token the worker refuses, and the
      // panel listens on a channel only once the worker has accepted the token that came with it.
      const channel = new MessageChannel();
      iframe.contentWindow?.postMessage({ type: PANEL_TOKEN_MESSAGE, token }, new URL(panelUrl).origin, [channel.port2]);
      keys = channel.port1;
      for (const command of pending) keys.postMessage(command);
      pending = [];
    },
    { once: true },
  );
  // Outside <body>: single-page tools often replace the body's children, which would take the panel with them.
  root.append(iframe);

  return {
    iframe,
    applyLayout,
    focusPanel: () => iframe.focus(),
    returnFocus: () => {
      if (doc.activeElement === iframe) iframe.blur();
      doc.defaultView?.focus();
    },
    sendCommand: (command) => {
      if (keys) keys.postMessage(command);
      else if (pending.length < MAX_PENDING_COMMANDS) pending.push(command);
    },
    remove: () => {
      keys?.close();
      iframe.remove();
      for (const [prop, value, priority] of [
        ['margin-left', original.marginLeft, original.marginLeftPriority],
        ['margin-right', original.marginRight, original.marginRightPriority],
      ] as const) {
        if (value) root.style.setProperty(prop, value, priority);
        else root.style.removeProperty(prop);
      }
    },
  };
}
