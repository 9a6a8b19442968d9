/**
 * Where the content script meets the notes bundle (issue 6). Anchoring, the note layer and annotate mode are most
 * of Loupe's in-page code, and most items have no notes: so they are built apart (entrypoints/page-notes.ts) and
 * the worker injects them with `scripting.executeScript` only when the page asks (lib/content/lazy-page-notes.ts).
 * An injected file runs in the same isolated world as the content script, so the two meet through one property
 * of that world's global object, which the page's own scripts cannot see (they have a global of their own).
 *
 * Only types cross from page-notes.ts here: importing this module costs the content script a few lines.
 */
import type { PageNotes, PageNotesOptions } from './page-notes';

export interface NotesBundle {
  startPageNotes(options: PageNotesOptions): PageNotes;
}

const HOOK = '__loupeNotesBundle';

type HookHolder = { [HOOK]?: NotesBundle };

/** Called by the notes bundle as it is evaluated. */
export function provideNotesBundle(bundle: NotesBundle, world: object = globalThis): void {
  (world as HookHolder)[HOOK] = bundle;
}

/** The notes bundle, once the worker has injected it into this world. */
export function injectedNotesBundle(world: object = globalThis): NotesBundle | undefined {
  return (world as HookHolder)[HOOK];
}
