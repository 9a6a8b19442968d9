/**
 * The panel's link to the worker: the connection state and the latest PanelContext it pushed. Each context that
 * shows an item also tells the store, which starts that item's draft (or restores its stash).
 */
import { useEffect, useEffectEvent, useState } from 'react';
import type { PanelClient, PanelConnection } from '@/lib/panel-client';
import type { PanelContext } from '@/lib/protocol';
import { itemKey } from '@/lib/site-profile';
import { usePanelStoreApi } from './panel-store';

export function usePanelConnection(client: PanelClient, now: () => number) {
  const store = usePanelStoreApi();
  const [connection, setConnection] = useState<PanelConnection>({ state: 'connecting' });
  const [context, setContext] = useState<PanelContext | null>(null);

  const onContext = useEffectEvent((next: PanelContext) => {
    setContext(next);
    if (next.reading?.status === 'found') {
      store.getState().showItem(itemKey(next.reading.item), next.reading.item, next.shownAt, now());
    }
  });

  useEffect(() => client.onConnection(setConnection), [client]);
  useEffect(() => client.onContext((next) => onContext(next)), [client]);

  return { connection, context };
}
