/**
 * The "Set up this site" button (issue 7), in the panel (SiteSetupCheck) and the toolbar popup: asks the worker to
 * start point-and-click setup on the page, and says so if it cannot. Imports nothing but types, so the popup's
 * first paint does not pay for the browser API (the popup passes a `startSetup` that loads it on click).
 */
import { useState } from 'react';
import type { StartSetupResult } from '@/lib/setup/start-setup';

export const START_WORDS = {
  setUp: 'Set up this site',
  starting: 'Starting setup on the page…',
} as const;

interface SiteSetupStartProps {
  startSetup: () => Promise<StartSetupResult>;
  label?: string;
  /** The button's class (the panel and the popup style it their own way). */
  className?: string | undefined;
  /** Setup is running on the page (the popup closes itself, so the page can be pointed at). */
  onStarted?: () => void;
}

export function SiteSetupStart({ startSetup, label = START_WORDS.setUp, className, onStarted }: SiteSetupStartProps) {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'starting' } | { kind: 'failed'; message: string }>({ kind: 'idle' });

  function start() {
    if (state.kind === 'starting') return;
    setState({ kind: 'starting' });
    startSetup().then(
      (result) => {
        setState(result.ok ? { kind: 'idle' } : { kind: 'failed', message: result.message });
        if (result.ok) onStarted?.();
      },
      (error: unknown) => setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  }

  return (
    <>
      <button type="button" className={className} aria-disabled={state.kind === 'starting' || undefined} onClick={start}>
        {label}
      </button>
      {state.kind === 'starting' ? <p role="status">{START_WORDS.starting}</p> : null}
      {state.kind === 'failed' ? (
        <p role="alert" className="setup-start-failed">
          {state.message}
        </p>
      ) : null}
    </>
  );
}
