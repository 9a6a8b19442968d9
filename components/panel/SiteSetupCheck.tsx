/**
 * The site profile checked against every item (issue 7): the labeling page reads each item with the profile
 * (lib/content/item-watcher.ts), and when a field the profile reads no longer matches, the panel names it here,
 * beside the way to fix it: "Set up this site" again, by pointing. The details of each failure are in ItemSummary.
 */
import { memo } from 'react';
import type { ItemReadingMessage } from '@/lib/protocol';
import { describeSetupProblem } from '@/lib/setup/setup-text';
import { startSetupFromPanel, type StartSetupResult } from '@/lib/setup/start-setup';
import { englishPanelTranslator, useT, type PanelT } from './i18n';
import { SiteSetupStart } from './SiteSetupStart';

interface SiteSetupCheckProps {
  reading: ItemReadingMessage | null;
  /** Asks the worker to start setup on this tab; `panel/start-setup` by default. */
  startSetup?: () => Promise<StartSetupResult>;
}

/** The profile's fields that read nothing on this item, by name. */
export function fieldsNotMatching(reading: ItemReadingMessage | null, t: PanelT['t'] = englishPanelTranslator.t): string[] {
  return reading ? reading.problems.map((problem) => t(`common.field.${problem.field}`)) : [];
}

// Memoised: the panel renders again on every change to its store; this is the reading's field problems, which change
// only with a context push.
export const SiteSetupCheck = memo(function SiteSetupCheck({ reading, startSetup = startSetupFromPanel }: SiteSetupCheckProps) {
  const { t } = useT();
  const failing = fieldsNotMatching(reading, t);
  return (
    <section className="setup-check" aria-label={t('setup.check.region')}>
      {failing.length > 0 ? (
        <div role="alert" className="loupe-banner" data-testid="setup-check-failing">
          <p>{t('setup.check.stopped', { fields: failing.join(', ') })}</p>
          <p>{t('setup.check.stoppedHint')}</p>
        </div>
      ) : null}
      <SiteSetupStart
        startSetup={startSetup}
        words={{ setUp: t('setup.start.setUp'), starting: t('setup.start.starting'), problem: (problem) => describeSetupProblem(problem, t) }}
        label={failing.length > 0 ? t('setup.check.setUpAgain') : t('setup.check.setUp')}
        className={failing.length > 0 ? undefined : 'setup-link'}
      />
    </section>
  );
});
