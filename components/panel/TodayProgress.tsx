/**
 * Today's count for the auditor, the items they have looked at (theirs alone, never synced), and progress against
 * the team's daily quota when one is set.
 */
import type { TodayProgress as Today } from '@/lib/protocol';

export function TodayProgress({ today, viewed }: { today: Today; viewed: number }) {
  const { audited, quota } = today;
  return (
    <div className="loupe-today">
      <span>
        Audited today: {audited}
        <span className="loupe-viewed" title="Items you opened today. Only you see this; it is never synced.">
          {' '}
          · viewed {viewed}
        </span>
      </span>
      {quota !== undefined && (
        <span className="loupe-quota">
          <span
            role="progressbar"
            aria-label="Today's audits against the daily quota"
            aria-valuemin={0}
            aria-valuemax={quota}
            aria-valuenow={Math.min(audited, quota)}
            aria-valuetext={`${audited} of ${quota}`}
            className="loupe-progress"
          >
            <span className="loupe-progress-fill" style={{ width: `${Math.min(100, (audited / quota) * 100)}%` }} />
          </span>
          <span aria-hidden="true">
            {audited} / {quota}
          </span>
        </span>
      )}
    </div>
  );
}
