/**
 * The object the preload exposes as `window.tessera`: each method is one `invoke` on a
 * declared channel, and cluster events arrive on the one event channel. The renderer never
 * sees `ipcRenderer` or an IPC event object (those would let a page send on any channel);
 * it gets only these functions and plain data. The IPC object is passed in, so this is
 * tested under plain Node; preload.ts passes Electron's `ipcRenderer`.
 */
import { clusterEventChannel, invokeChannels } from './desktop-channels.ts';
import type { DesktopClusterEvent, TesseraDesktopApi } from '../renderer/shared/desktop-api.ts';

/** The part of Electron's `ipcRenderer` the API uses. */
export interface IpcRendererSeam {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createDesktopApi(ipc: IpcRendererSeam): TesseraDesktopApi {
  const call = <T>(channel: string, ...args: unknown[]): Promise<T> => ipc.invoke(channel, ...args) as Promise<T>;
  return {
    clusterStatus: () => call(invokeChannels.clusterStatus.channel),
    startDatanode: (index) => call(invokeChannels.startDatanode.channel, index),
    stopDatanode: (index) => call(invokeChannels.stopDatanode.channel, index),
    restartDatanode: (index) => call(invokeChannels.restartDatanode.channel, index),
    addDatanode: () => call(invokeChannels.addDatanode.channel),
    openDataFolder: () => call(invokeChannels.openDataFolder.channel),
    appVersion: () => call(invokeChannels.appVersion.channel),
    onClusterEvent(listener) {
      const forward = (_event: unknown, payload: unknown) => {
        if (
          typeof payload === 'object' &&
          payload !== null &&
          typeof (payload as { type?: unknown }).type === 'string'
        ) {
          listener(payload as DesktopClusterEvent);
        }
      };
      ipc.on(clusterEventChannel, forward);
      return () => {
        ipc.removeListener(clusterEventChannel, forward);
      };
    },
  };
}
