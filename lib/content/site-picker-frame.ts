/**
 * The frame site setup's UI runs in (panel.html#setup, components/panel/SiteSetupFrame.tsx), docked beside the
 * labeling page as the audit panel is (lib/content/panel-frame.ts): an extension-origin iframe, so what the user
 * types there never reaches the page. Where the audit panel is already on the page, the setup frame lies over it
 * (setup replaces it until it ends); elsewhere it takes the right edge and narrows the page by its width.
 */
import { SETUP_FRAME_ATTRIBUTE } from './site-picker-host';

export const SETUP_FRAME_WIDTH_PX = 360;

export interface SetupFrame {
  iframe: HTMLIFrameElement;
  /** Keyboard focus into the setup UI (after a pick). */
  focus(): void;
  /** Keyboard focus to the page (the picker's keys must reach it). */
  releaseFocus(): void;
  remove(): void;
}

export interface MountSetupFrameOptions {
  doc: Document;
  /** panel.html#setup at the extension origin. */
  url: string;
  token: string;
  /** The message type the token is posted with (lib/setup/setup-protocol.ts: SETUP_TOKEN_MESSAGE). */
  tokenMessage: string;
  /** The frame's accessible name, in the user's language. */
  title: string;
}

const FRAME_STYLE: ReadonlyArray<readonly [string, string]> = [
  ['all', 'initial'],
  ['display', 'block'],
  ['position', 'fixed'],
  ['top', '0'],
  ['height', '100vh'],
  ['width', `${SETUP_FRAME_WIDTH_PX}px`],
  ['border', '0'],
  ['margin', '0'],
  ['padding', '0'],
  // Above the audit panel (2147483646) and Loupe's overlays: setup stands in for the panel while it runs.
  ['z-index', '2147483647'],
  ['color-scheme', 'normal'],
  ['background', '#fff'],
  ['box-shadow', '0 0 0 1px rgba(0,0,0,.12), 0 0 16px rgba(0,0,0,.18)'],
  ['visibility', 'visible'],
  ['opacity', '1'],
];

/** The audit panel's frame, if the labeling script mounted one: which edge it is docked on. */
function panelSide(doc: Document): 'left' | 'right' | null {
  const panel = doc.querySelector<HTMLIFrameElement>(`iframe[data-loupe-panel]:not([${SETUP_FRAME_ATTRIBUTE}])`);
  if (!panel) return null;
  return panel.style.left === '0px' || panel.style.left === '0' ? 'left' : 'right';
}

export function mountSetupFrame({ doc, url, token, tokenMessage, title }: MountSetupFrameOptions): SetupFrame {
  const iframe = doc.createElement('iframe');
  iframe.src = url;
  iframe.title = title;
  // data-loupe-panel: Loupe's own, for annotate mode and the notes layer (lib/notes/text-index.ts).
  iframe.setAttribute('data-loupe-panel', '');
  iframe.setAttribute(SETUP_FRAME_ATTRIBUTE, '');
  for (const [property, value] of FRAME_STYLE) iframe.style.setProperty(property, value, 'important');

  const root = doc.documentElement;
  const side = panelSide(doc) ?? 'right';
  iframe.style.setProperty(side, '0', 'important');
  // Over the audit panel there is room already; otherwise the page narrows, so none of it is hidden behind setup.
  const margin = `margin-${side}`;
  const narrowed = panelSide(doc) === null;
  const original = { value: root.style.getPropertyValue(margin), priority: root.style.getPropertyPriority(margin) };
  if (narrowed) root.style.setProperty(margin, `${SETUP_FRAME_WIDTH_PX}px`, 'important');

  iframe.addEventListener(
    'load',
    () => {
      // Targeted at the extension origin: a page that swapped the frame's src cannot receive the token.
      iframe.contentWindow?.postMessage({ type: tokenMessage, token }, new URL(url).origin);
    },
    { once: true },
  );
  // Outside <body>, as the panel: single-page tools replace the body's children.
  root.append(iframe);

  return {
    iframe,
    focus: () => iframe.focus(),
    releaseFocus: () => {
      if (doc.activeElement === iframe) iframe.blur();
      doc.defaultView?.focus();
    },
    remove: () => {
      iframe.remove();
      if (!narrowed) return;
      if (original.value) root.style.setProperty(margin, original.value, original.priority);
      else root.style.removeProperty(margin);
    },
  };
}
