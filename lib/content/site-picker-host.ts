/**
 * The one thing the labeling script needs to know about site setup's picker (lib/content/site-picker.ts): whether
 * it is pointing right now. Its keys (Tab, arrows, Enter, Esc) are then the picker's, so Loupe's own page keys
 * stand aside. Kept apart from the picker so the labeling script does not carry the picker's code.
 */

/** The picker's overlay host, appended to `<html>` while the user points at an element. */
export const SITE_PICKER_TAG = 'loupe-site-picker';

/** Marks the frame of the setup UI (panel.html#setup) that the setup script docks beside the page. */
export const SETUP_FRAME_ATTRIBUTE = 'data-loupe-setup';

export function isSitePicking(doc: Document): boolean {
  return doc.documentElement.querySelector(`:scope > ${SITE_PICKER_TAG}`) !== null;
}
