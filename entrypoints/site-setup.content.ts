/**
 * Site setup on a labeling page (issue 7). Never registered: the worker injects it with `scripting.executeScript`
 * when the user asks to set up a site (lib/background/setup-handlers.ts), so the labeling script stays small and
 * pages that are not being set up never parse it. Everything it does lives in lib/content/site-picker-session.ts.
 */
import { startSiteSetup } from '@/lib/content/site-picker-session';

export default defineContentScript({
  registration: 'runtime',
  // As the labeling script: the page has no business knowing an extension started.
  noScriptStartedPostMessage: true,
  main(ctx) {
    startSiteSetup(ctx.signal);
  },
});
