/**
 * A gentle reminder to rest (issue 7): after `breakAfterMinutes` of auditing without a break, a quiet banner says
 * how long it has been and suggests a short pause. It never takes focus or blocks anything; "Remind me later"
 * counts a new stretch from now, so it comes back only after another full stretch. The panel re-checks the time
 * itself, since nothing else changes while an analyst works on one item.
 */
import { useEffect, useState } from 'react';
import type { Wellbeing } from '@/lib/protocol';
import { useT } from './i18n';

/** How often the panel looks at the clock for the reminder. */
const CHECK_EVERY_MS = 30_000;

export function breakIsDue(wellbeing: Wellbeing, now: number): boolean {
  const { activeSince, breakAfterMinutes } = wellbeing;
  return breakAfterMinutes > 0 && activeSince !== null && now - activeSince >= breakAfterMinutes * 60_000;
}

export function BreakReminder({ wellbeing, now, onDismiss }: { wellbeing: Wellbeing; now: () => number; onDismiss: () => void }) {
  const { t } = useT();
  const [time, setTime] = useState(now);
  useEffect(() => {
    const timer = setInterval(() => setTime(now()), CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, [now]);
  // A new context (after a verdict or a new item) brings the time forward too.
  const at = Math.max(time, now());
  if (!breakIsDue(wellbeing, at) || wellbeing.activeSince === null) return null;
  const minutes = Math.floor((at - wellbeing.activeSince) / 60_000);
  return (
    <div role="status" className="loupe-break">
      <p>{t('panel.break.text', { count: minutes })}</p>
      <button type="button" onClick={onDismiss}>
        {t('panel.break.later')}
      </button>
    </div>
  );
}
