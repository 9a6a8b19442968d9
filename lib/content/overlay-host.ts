/**
 * The host every Loupe layer on the page draws in (notes, annotate mode, the media shield): a full-viewport,
 * click-through element with a closed shadow root, appended to `<html>` so single-page tools that replace the
 * body's children do not take it with them. A module of its own so that the media shield, which starts on every
 * page, does not pull the notes code into the content script (that comes on demand: lib/content/lazy-page-notes.ts).
 */

/** Just below the panel iframe (2147483646, panel-frame.ts), above anything a page is likely to stack. */
export const OVERLAY_Z_INDEX = '2147483645';

const HOST_STYLE: ReadonlyArray<readonly [string, string]> = [
  // `all` first so the page's rules for unknown elements (`html > * { … }`) cannot reach in; inline and
  // !important because the page's stylesheets otherwise beat `:host`.
  ['all', 'initial'],
  ['display', 'block'],
  ['position', 'fixed'],
  ['inset', '0'],
  ['pointer-events', 'none'],
  ['z-index', OVERLAY_Z_INDEX],
  ['contain', 'strict'],
  ['visibility', 'visible'],
  ['opacity', '1'],
];

export interface OverlayHost {
  host: HTMLElement;
  root: ShadowRoot;
}

/**
 * Closed, so the page's scripts cannot walk into it; its styles come in as a constructed sheet (CSSOM is not
 * subject to the page's `style-src`), with a <style> inside the shadow root where a browser refuses constructed
 * sheets from a content script (Firefox, bug 1770592).
 */
export function mountOverlayHost(doc: Document, tagName: string, css: string): OverlayHost {
  const host = doc.createElement(tagName);
  for (const [property, value] of HOST_STYLE) host.style.setProperty(property, value, 'important');
  const root = host.attachShadow({ mode: 'closed' });
  try {
    const sheet = new ((doc.defaultView ?? window) as Window & Pick<typeof globalThis, 'CSSStyleSheet'>).CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = doc.createElement('style');
    style.textContent = css;
    root.append(style);
  }
  doc.documentElement.append(host);
  return { host, root };
}

export interface PickingOverlay {
  banner: HTMLDivElement;
  cancelButton: HTMLButtonElement;
  outline: HTMLDivElement;
  label: HTMLDivElement;
}

/**
 * The parts annotate mode and site setup both draw in their overlay's `root`: a banner holding `words` and a Cancel
 * button, and the outline with its label (hidden until `placeOutline` shows them). The banner's role and styles are
 * the caller's.
 */
export function mountPickingOverlay(doc: Document, root: ShadowRoot, words: Node, cancelText: string): PickingOverlay {
  const banner = doc.createElement('div');
  banner.className = 'banner';
  const cancelButton = doc.createElement('button');
  cancelButton.type = 'button';
  cancelButton.textContent = cancelText;
  banner.append(words, cancelButton);
  const outline = doc.createElement('div');
  outline.className = 'outline';
  outline.hidden = true;
  const label = doc.createElement('div');
  label.className = 'label';
  label.hidden = true;
  root.append(outline, label, banner);
  return { banner, cancelButton, outline, label };
}

/**
 * Puts a picking outline and its label over `rect` (viewport coordinates), as annotate mode and site setup draw
 * them. The label sits above the box; when the box starts at the top of the viewport there is no room, so it goes
 * inside the box's top edge, or below the box where the label must not cover what it names.
 */
export function placeOutline(outline: HTMLElement, label: HTMLElement, rect: DOMRect, noRoomAbove: 'inside' | 'below'): void {
  outline.hidden = false;
  label.hidden = false;
  outline.style.transform = `translate(${rect.left}px, ${rect.top}px)`;
  outline.style.width = `${rect.width}px`;
  outline.style.height = `${rect.height}px`;
  const labelTop = rect.top >= 22 ? rect.top - 22 : noRoomAbove === 'inside' ? rect.top + 2 : rect.bottom + 2;
  label.style.transform = `translate(${Math.max(0, rect.left)}px, ${labelTop}px)`;
}
