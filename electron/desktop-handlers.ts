/**
 * What the main process answers on each invoke channel: the renderer's cluster actions go
 * to the `DesktopCluster`, the rest to the host (Electron's `shell` and `app`, passed in).
 * Every handler sits behind `ValidatedIpcMain`, so arguments arrive already checked.
 */
import { invokeChannels } from './desktop-channels.ts';
import type { DesktopCluster } from './desktop-cluster.ts';
import type { ValidatedIpcMain } from './ipc-validation.ts';
import type { DesktopAppVersion } from '../renderer/shared/desktop-api.ts';

export interface DesktopHost {
  /** Electron's `shell.openPath`: resolves to an error message, or '' on success. */
  openPath(path: string): Promise<string>;
  appVersion(): DesktopAppVersion;
}

export function registerDesktopHandlers(ipc: ValidatedIpcMain, cluster: DesktopCluster, host: DesktopHost): void {
  ipc.handle(invokeChannels.clusterStatus.channel, () => cluster.status());
  ipc.handle(invokeChannels.startDatanode.channel, (index) => cluster.startDatanode(index as number));
  ipc.handle(invokeChannels.stopDatanode.channel, (index) => cluster.stopDatanode(index as number));
  ipc.handle(invokeChannels.restartDatanode.channel, (index) => cluster.restartDatanode(index as number));
  ipc.handle(invokeChannels.addDatanode.channel, () => cluster.addDatanode());
  ipc.handle(invokeChannels.openDataFolder.channel, async () => {
    const failure = await host.openPath(cluster.dataHome);
    if (failure) throw new Error(`Could not open the data folder ${cluster.dataHome}: ${failure}`);
  });
  ipc.handle(invokeChannels.appVersion.channel, () => host.appVersion());
}
