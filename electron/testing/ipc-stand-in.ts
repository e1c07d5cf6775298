/**
 * Electron's IPC reduced to the seams the shell uses, for tests under plain Node: an
 * `ipcMain` with handlers by channel, and an `ipcRenderer` for one page at a given URL that
 * invokes them (as its top frame) and receives what the main process sends it.
 */
import type { IpcRendererSeam } from '../desktop-api-client.ts';
import type { IpcInvokeEventLike, IpcMainSeam, IpcSenderFrame } from '../ipc-validation.ts';

export class IpcMainStandIn implements IpcMainSeam {
  readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();

  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What `ipcRenderer.invoke` does: find the handler, call it with the sender's frame. */
  async invoke(channel: string, frame: IpcSenderFrame | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    // Arguments and results cross processes by structured clone.
    return structuredClone(await handler({ senderFrame: frame }, ...structuredClone(args)));
  }
}

/** A page's `ipcRenderer`; `send` is what the main process's `webContents.send` reaches. */
export class IpcRendererStandIn implements IpcRendererSeam {
  private readonly main: IpcMainStandIn;
  private readonly frame: IpcSenderFrame;
  private readonly listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();

  constructor(main: IpcMainStandIn, pageUrl: string) {
    this.main = main;
    this.frame = { url: pageUrl, parent: null };
  }

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return this.main.invoke(channel, this.frame, ...args);
  }

  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }

  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  send(channel: string, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? [])
      listener({ sender: 'ipc-event' }, structuredClone(payload));
  }
}
