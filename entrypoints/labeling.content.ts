/**
 * Loupe on a labeling page. Registered at run time for the enabled sites only
 * (lib/background/content-script-registration.ts); everything it does lives in lib/content/.
 */
import { startLabelingSession } from '@/lib/content/labeling-session';

export default defineContentScript({
  registration: 'runtime',
  // WXT would otherwise announce itself to the page with window.postMessage; the page has no business knowing.
  noScriptStartedPostMessage: true,
  main(ctx) {
    startLabelingSession(ctx.signal);
  },
});
