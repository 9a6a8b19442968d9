/**
 * The notes bundle (issue 6): anchoring, the note layer and annotate mode. Not a content script of its own: the
 * worker injects it into the labeling page's content-script world only when the item on screen has notes or
 * annotate mode starts (lib/content/lazy-page-notes.ts), and it hands its entry point over through
 * lib/content/notes-bundle.ts.
 */
import { provideNotesBundle } from '@/lib/content/notes-bundle';
import { startPageNotes } from '@/lib/content/page-notes';

export default defineUnlistedScript({
  // No global variable for the bundle's result: the content script finds it through provideNotesBundle.
  globalName: false,
  main() {
    provideNotesBundle({ startPageNotes });
  },
});
