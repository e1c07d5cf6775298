/**
 * The desktop app's cluster controls (`window.tessera`), when the board runs inside it: the
 * supervisor's status (to map a datanode's node id to its slot) and the start/stop/restart/add
 * actions. In a browser tab there is no `window.tessera` and the hook returns null, so the
 * board hides those controls.
 */
import { useEffect, useState } from 'react';
import type { DesktopClusterStatus, DesktopWindow, TesseraDesktopApi } from '../shared/desktop-api.ts';

export interface DesktopCluster {
  api: TesseraDesktopApi;
  status: DesktopClusterStatus | null;
}

export function desktopApi(): TesseraDesktopApi | null {
  return (window as unknown as DesktopWindow).tessera ?? null;
}

export function useDesktopCluster(): DesktopCluster | null {
  const [api] = useState(desktopApi);
  const [status, setStatus] = useState<DesktopClusterStatus | null>(null);
  useEffect(() => {
    if (!api) return;
    let live = true;
    void api
      .clusterStatus()
      .then((s) => live && setStatus(s))
      .catch(() => undefined);
    const off = api.onClusterEvent((event) => {
      if (event.type === 'status') setStatus(event.status);
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return api ? { api, status } : null;
}

/** The supervisor's slot (what start/stop/restart take) for a datanode's node id. */
export function slotOf(status: DesktopClusterStatus | null, nodeId: number): number | null {
  return status?.datanodes.find((d) => d.nodeId === nodeId)?.index ?? null;
}
