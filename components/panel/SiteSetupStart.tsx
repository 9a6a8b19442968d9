/**
 * The "Set up this site" button (issue 7), in the panel (SiteSetupCheck) and the toolbar popup: asks the worker to
 * start point-and-click setup on the page, and says so if it cannot. Imports nothing but types and English text, so
 * the popup's first paint does not pay for the browser API (the popup passes a `startSetup` that loads it on click).
 * Its words come from the caller, each page with its own translator; English without them.
 */
import { useState } from 'react';
import type { SetupProblem } from '@/lib/setup/setup-protocol';
import type { StartSetupFailure, StartSetupResult } from '@/lib/setup/start-setup';

export interface SiteSetupStartWords {
  setUp: string;
  starting: string;
  /** Why setup did not start, in words; without it, the English the failure carries. */
  problem?: (problem: SetupProblem) => string;
}

/** English, as `setup.start.*` says it, for a page that passes no words (its catalogs are not loaded up front). */
const ENGLISH_WORDS: SiteSetupStartWords = {
  setUp: 'Set up this site',
  starting: 'Starting setup on the page…',
};

interface SiteSetupStartProps {
  startSetup: () => Promise<StartSetupResult>;
  label?: string;
  words?: SiteSetupStartWords;
  /** The button's class (the panel and the popup style it their own way). */
  className?: string | undefined;
  /** Setup is running on the page (the popup closes itself, so the page can be pointed at). */
  onStarted?: () => void;
}

export function SiteSetupStart({ startSetup, words = ENGLISH_WORDS, label = words.setUp, className, onStarted }: SiteSetupStartProps) {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'starting' } | { kind: 'failed'; failure: StartSetupFailure }>({ kind: 'idle' });

  function start() {
    if (state.kind === 'starting') return;
    setState({ kind: 'starting' });
    startSetup().then(
      (result) => {
        setState(result.ok ? { kind: 'idle' } : { kind: 'failed', failure: result });
        if (result.ok) onStarted?.();
      },
      (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        setState({ kind: 'failed', failure: { ok: false, problem: { code: 'no-answer', detail }, message: detail } });
      },
    );
  }

  return (
    <>
      <button type="button" className={className} aria-disabled={state.kind === 'starting' || undefined} onClick={start}>
        {label}
      </button>
      {state.kind === 'starting' ? <p role="status">{words.starting}</p> : null}
      {state.kind === 'failed' ? (
        <p role="alert" className="setup-start-failed">
          {words.problem?.(state.failure.problem) ?? state.failure.message}
        </p>
      ) : null}
    </>
  );
}
