/**
 * The desktop app's API, `window.tessera`, as the Electron preload exposes it through
 * `contextBridge`. Types only (nothing here runs): the renderer imports them with
 * `import type` and uses the API only when `window.tessera` is present; in a browser tab it
 * is absent and the same cluster actions go through the HTTP API or are hidden. The shell
 * (electron/preload.ts, electron/main.ts) implements exactly this shape.
 *
 * Everything crosses a process boundary by structured clone: plain data, no classes, and
 * every call is asynchronous. A refused or failed call rejects with an Error whose message
 * says why (e.g. "Datanode 7 is not part of this cluster ...").
 */

/** The cluster the desktop app hosts, as a whole. */
export type DesktopClusterState = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/**
 * One datanode slot. `restarting`: its process died unexpectedly and the supervisor is about
 * to start it again (with backoff); `stopped`: stopped on request, until started again.
 */
export type DesktopDatanodeState = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped';

export interface DesktopDatanodeStatus {
  /** 1-based slot number; what start/stop/restart take. */
  index: number;
  /** Node id metasrv gave it; null until it first registers. */
  nodeId: number | null;
  /** OS process id of the current process; null when none runs. */
  pid: number | null;
  state: DesktopDatanodeState;
  /** Unexpected exits since the slot last ran well (backoff grows with it). */
  restarts: number;
}

export interface DesktopClusterStatus {
  state: DesktopClusterState;
  /** Base URL of the cluster's HTTP API (what the window shows), e.g. "http://127.0.0.1:54321"; null until started. */
  httpUrl: string | null;
  /** Where the cluster keeps its data (under the app's user-data folder). */
  dataHome: string;
  /** How datanode processes are started: Electron utility processes, or Node child processes. */
  launcher: string;
  datanodes: DesktopDatanodeStatus[];
  /** Why the cluster is `failed`; null otherwise. */
  error: string | null;
}

/** Pushed to the renderer as things happen; `status` follows every change. */
export type DesktopClusterEvent =
  | { type: 'status'; status: DesktopClusterStatus }
  | {
      type: 'datanode-crashed';
      index: number;
      nodeId: number | null;
      pid: number;
      /** Exit code, or null when a signal ended it. */
      code: number | null;
      signal: string | null;
      /** Epoch milliseconds. */
      at: number;
    }
  | { type: 'datanode-ready'; index: number; nodeId: number; pid: number; restarted: boolean };

export interface DesktopAppVersion {
  app: string;
  electron: string;
  chrome: string;
  node: string;
}

export interface TesseraDesktopApi {
  clusterStatus(): Promise<DesktopClusterStatus>;
  /** Calls `listener` for every cluster event until the returned function is called. */
  onClusterEvent(listener: (event: DesktopClusterEvent) => void): () => void;
  /** Starts a datanode stopped with `stopDatanode`; resolves once it has registered. */
  startDatanode(index: number): Promise<DesktopClusterStatus>;
  /** Stops a datanode and keeps it stopped (metasrv marks it down at once). */
  stopDatanode(index: number): Promise<DesktopClusterStatus>;
  restartDatanode(index: number): Promise<DesktopClusterStatus>;
  /** Adds one more datanode process; resolves once it has registered. */
  addDatanode(): Promise<DesktopClusterStatus>;
  /** Opens the cluster's data folder in the system file manager. */
  openDataFolder(): Promise<void>;
  appVersion(): Promise<DesktopAppVersion>;
}

/** `window` in the desktop app; in a browser tab `tessera` is undefined. */
export interface DesktopWindow {
  tessera?: TesseraDesktopApi;
}
