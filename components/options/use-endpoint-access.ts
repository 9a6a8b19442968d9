/** Whether Loupe holds the host permission for the saved sync endpoint, and asking for it again. */
import { useEffect, useState } from 'react';
import type { SitePermissionsApi } from '../../lib/site-permissions';
import { hasEndpointPermission, requestEndpointPermission } from '../../lib/sync/endpoint-permission';
import type { SiteAccess } from './types';

/** Whether the saved endpoint's origin is granted, checked again when the page regains focus. */
export function useEndpointAccess(permissions: SitePermissionsApi, endpoint: string | undefined) {
  const [state, setState] = useState<SiteAccess>('checking');
  const [checks, setChecks] = useState(0);

  useEffect(() => {
    // Access can be taken back in the browser's own UI while this page is open.
    const recheck = () => setChecks((n) => n + 1);
    window.addEventListener('focus', recheck);
    return () => window.removeEventListener('focus', recheck);
  }, []);

  useEffect(() => {
    if (!endpoint) return;
    let live = true;
    hasEndpointPermission(permissions, endpoint).then(
      (granted) => live && setState(granted ? 'granted' : 'needed'),
      () => live && setState('unknown'),
    );
    return () => {
      live = false;
    };
  }, [permissions, endpoint, checks]);

  return {
    state: endpoint ? state : 'checking',
    recheck: () => setChecks((n) => n + 1),
    /** Calls permissions.request at once: call it straight from a click handler. */
    grant(target: string): Promise<boolean> {
      return requestEndpointPermission(permissions, target).then((granted) => {
        setState(granted ? 'granted' : 'needed');
        return granted;
      });
    },
  };
}
