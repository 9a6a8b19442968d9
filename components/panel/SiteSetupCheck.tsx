/**
 * The site profile checked against every item (issue 7): the labeling page reads each item with the profile
 * (lib/content/item-watcher.ts), and when a field the profile reads no longer matches, the panel names it here,
 * beside the way to fix it: "Set up this site" again, by pointing. The details of each failure are in ItemSummary.
 */
import type { ItemReadingMessage } from '@/lib/protocol';
import { startSetupFromPanel, type StartSetupResult } from '@/lib/setup/start-setup';
import { FIELD_WORDS } from './SiteSetupField';
import { SiteSetupStart } from './SiteSetupStart';

export const CHECK_WORDS = {
  region: 'Site setup',
  stopped: (fields: string) => `This site’s setup did not match on this item: ${fields}.`,
  stoppedHint: 'The tool may have changed its pages. Set the site up again by pointing at the fields.',
  setUp: 'Set up this site…',
  setUpAgain: 'Set up this site again',
} as const;

interface SiteSetupCheckProps {
  reading: ItemReadingMessage | null;
  /** Asks the worker to start setup on this tab; `panel/start-setup` by default. */
  startSetup?: () => Promise<StartSetupResult>;
}

/** The profile's fields that read nothing on this item, by name. */
export function fieldsNotMatching(reading: ItemReadingMessage | null): string[] {
  return reading ? reading.problems.map((problem) => FIELD_WORDS.names[problem.field]) : [];
}

export function SiteSetupCheck({ reading, startSetup = startSetupFromPanel }: SiteSetupCheckProps) {
  const failing = fieldsNotMatching(reading);
  return (
    <section className="setup-check" aria-label={CHECK_WORDS.region}>
      {failing.length > 0 ? (
        <div role="alert" className="loupe-banner" data-testid="setup-check-failing">
          <p>{CHECK_WORDS.stopped(failing.join(', '))}</p>
          <p>{CHECK_WORDS.stoppedHint}</p>
        </div>
      ) : null}
      <SiteSetupStart
        startSetup={startSetup}
        label={failing.length > 0 ? CHECK_WORDS.setUpAgain : CHECK_WORDS.setUp}
        className={failing.length > 0 ? undefined : 'setup-link'}
      />
    </section>
  );
}
