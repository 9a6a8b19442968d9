/**
 * Reads what the dashboard shows: the settings (zone, target, taxonomy) and the live audits in the chosen dates.
 * Both re-run when their tables change, so a verdict saved in another tab shows up without a reload.
 */
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';
import type { LoupeDatabase } from '../../lib/db';
import { loadAuditsInRange } from '../../lib/leads/audit-filter';
import type { Audit, Settings } from '../../lib/schemas';
import { loadSettings } from '../../lib/settings-store';
import { messageOf } from './format';

export type Loaded<T> = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; value: T };

/** Subscribes to `query` while `key` stays the same; `null` key: nothing to read yet. */
function useLiveRead<T>(db: LoupeDatabase, key: string | null, query: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ key: string | null; loaded: Loaded<T> }>({ key, loaded: { kind: 'loading' } });

  useEffect(() => {
    if (key === null) return;
    let live = true;
    let subscription: { unsubscribe: () => void } | undefined;
    const fail = (error: unknown) => {
      if (live) setState({ key, loaded: { kind: 'error', message: messageOf(error) } });
    };
    // liveQuery waits silently on a database that failed to open, so open it first: a page stuck on
    // "Loading…" would hide that storage is blocked.
    db.open().then(() => {
      if (!live) return;
      subscription = liveQuery(query).subscribe({
        next: (value) => live && setState({ key, loaded: { kind: 'ready', value } }),
        error: fail,
      });
    }, fail);
    return () => {
      live = false;
      subscription?.unsubscribe();
    };
    // `query` is rebuilt on every render; `key` names what it reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, key]);

  // Until the new key's first answer, the previous answer belongs to other dates: say it is loading.
  return state.key === key ? state.loaded : { kind: 'loading' };
}

export function useSettings(db: LoupeDatabase): Loaded<Settings> {
  return useLiveRead(db, 'settings', () => loadSettings(db));
}

export function useAuditsInRange(db: LoupeDatabase, bounds: { start: number; end: number } | null): Loaded<Audit[]> {
  const key = bounds ? `${bounds.start}-${bounds.end}` : null;
  return useLiveRead(db, key, () => (bounds ? loadAuditsInRange(db, bounds) : Promise.resolve([])));
}
