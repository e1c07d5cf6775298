/**
 * The IPC channels between the preload and the main process, declared once: the preload
 * calls only these, the main process answers only these (`ipc-validation.ts`), and each
 * names the arguments it accepts. Every name starts with `tessera:`, so a stray channel is
 * recognisable at a glance in both processes.
 */

/** Channels the renderer invokes (ipcRenderer.invoke → ipcMain.handle), with their argument shape. */
export const invokeChannels = {
  clusterStatus: { channel: 'tessera:cluster-status', takes: 'nothing' },
  startDatanode: { channel: 'tessera:datanode-start', takes: 'datanode-index' },
  stopDatanode: { channel: 'tessera:datanode-stop', takes: 'datanode-index' },
  restartDatanode: { channel: 'tessera:datanode-restart', takes: 'datanode-index' },
  addDatanode: { channel: 'tessera:datanode-add', takes: 'nothing' },
  openDataFolder: { channel: 'tessera:open-data-folder', takes: 'nothing' },
  appVersion: { channel: 'tessera:app-version', takes: 'nothing' },
} as const;

export type InvokeChannelKey = keyof typeof invokeChannels;
export type InvokeChannel = (typeof invokeChannels)[InvokeChannelKey]['channel'];

/** The one channel the main process pushes on (webContents.send → ipcRenderer.on): cluster events. */
export const clusterEventChannel = 'tessera:cluster-event';

/** The prefix every Tessera channel carries. */
export const channelPrefix = 'tessera:';

/** The largest datanode slot number a call may name (a local cluster has at most 64). */
export const maxDatanodeIndex = 64;
