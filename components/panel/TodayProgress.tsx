/**
 * Today's count for the auditor, the items they have looked at (theirs alone, never synced), and progress against
 * the team's daily quota when one is set.
 */
import { memo } from 'react';
import type { TodayProgress as Today } from '@/lib/protocol';
import { useT } from './i18n';

// Memoised: the panel renders again on every change to its store; this is today's count, which changes only with a
// context push.
export const TodayProgress = memo(function TodayProgress({ today, viewed }: { today: Today; viewed: number }) {
  const { t, number } = useT();
  const { audited, quota } = today;
  return (
    <div className="loupe-today">
      <span>
        {t('panel.today.audited', { count: audited })}
        <span className="loupe-viewed" title={t('panel.today.viewedTitle')}>
          {' '}
          · {t('panel.today.viewed', { count: viewed })}
        </span>
      </span>
      {quota !== undefined && (
        <span className="loupe-quota">
          <span
            role="progressbar"
            aria-label={t('panel.today.quotaLabel')}
            aria-valuemin={0}
            aria-valuemax={quota}
            aria-valuenow={Math.min(audited, quota)}
            aria-valuetext={t('panel.today.quotaValue', { audited, quota })}
            className="loupe-progress"
          >
            <span className="loupe-progress-fill" style={{ width: `${Math.min(100, (audited / quota) * 100)}%` }} />
          </span>
          <span aria-hidden="true">
            {number(audited)} / {number(quota)}
          </span>
        </span>
      )}
    </div>
  );
});
