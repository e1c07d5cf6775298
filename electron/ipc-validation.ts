/**
 * Checks every IPC call before the main process acts on it, in the manner of VS Code's
 * `validatedIpcMain`: the channel must be one of ours, the sender must be the top frame of
 * a page from the app's own origin (the local cluster's HTTP server), and the arguments
 * must have the channel's shape. Anything else is refused and logged; nothing runs. The
 * Electron `ipcMain` is reached through a narrow seam so this runs under plain Node.
 */
import { channelPrefix, invokeChannels, maxDatanodeIndex } from './desktop-channels.ts';
import type { InvokeChannel } from './desktop-channels.ts';

/** What a handler needs to know about who called: the sending frame (Electron's `event.senderFrame`). */
export interface IpcSenderFrame {
  readonly url: string;
  /** null for a window's top frame; an iframe has a parent. */
  readonly parent: unknown;
}

export interface IpcInvokeEventLike {
  readonly senderFrame: IpcSenderFrame | null;
}

/** The part of Electron's `ipcMain` this module uses. */
export interface IpcMainSeam {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type IpcVerdict = { ok: true } | { ok: false; reason: string };

const shapes = new Map<string, 'nothing' | 'datanode-index'>(
  Object.values(invokeChannels).map((entry) => [entry.channel, entry.takes]),
);

/** Whether a call may run: channel, sender origin and frame, then arguments. `appOrigin` undefined: nothing may. */
export function validateIpcCall(
  channel: string,
  sender: IpcSenderFrame | null,
  args: readonly unknown[],
  appOrigin: string | undefined,
): IpcVerdict {
  const shape = shapes.get(channel);
  if (!channel.startsWith(channelPrefix) || !shape) return { ok: false, reason: `unknown channel '${channel}'` };
  if (!sender) return { ok: false, reason: `${channel}: the sending frame is gone` };
  if (sender.parent !== null) return { ok: false, reason: `${channel}: sent from a subframe (${sender.url})` };
  if (appOrigin === undefined) return { ok: false, reason: `${channel}: the app has no origin yet` };
  if (originOf(sender.url) !== appOrigin) {
    return { ok: false, reason: `${channel}: sender ${sender.url} is not the app (${appOrigin})` };
  }
  if (shape === 'nothing') {
    return args.length === 0
      ? { ok: true }
      : { ok: false, reason: `${channel} takes no arguments, got ${args.length}` };
  }
  const [index] = args;
  if (
    args.length !== 1 ||
    typeof index !== 'number' ||
    !Number.isSafeInteger(index) ||
    index < 1 ||
    index > maxDatanodeIndex
  ) {
    return {
      ok: false,
      reason: `${channel} takes one datanode index from 1 to ${maxDatanodeIndex}, got ${describeArgs(args)}`,
    };
  }
  return { ok: true };
}

/** "null" for URLs without an origin (about:blank, data:), so they never equal the app's. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

function describeArgs(args: readonly unknown[]): string {
  return args.length === 0 ? 'nothing' : args.map((arg) => JSON.stringify(arg) ?? String(arg)).join(', ');
}

/**
 * Registers handlers that run only for validated calls. A refused call rejects in the
 * renderer with the reason, and is reported through `onRefused` (the shell logs it).
 */
export class ValidatedIpcMain {
  private readonly ipc: IpcMainSeam;
  private readonly appOrigin: () => string | undefined;
  private readonly onRefused: (reason: string) => void;
  private readonly channels = new Set<string>();

  constructor(ipc: IpcMainSeam, appOrigin: () => string | undefined, onRefused: (reason: string) => void) {
    this.ipc = ipc;
    this.appOrigin = appOrigin;
    this.onRefused = onRefused;
  }

  handle(channel: InvokeChannel, handler: (...args: unknown[]) => unknown): void {
    this.channels.add(channel);
    this.ipc.handle(channel, async (event, ...args) => {
      const verdict = validateIpcCall(channel, event.senderFrame, args, this.appOrigin());
      if (!verdict.ok) {
        this.onRefused(verdict.reason);
        throw new Error(`Refused: ${verdict.reason}`);
      }
      return handler(...args);
    });
  }

  /** Removes every handler (on quit: no cluster action may start while the cluster stops). */
  dispose(): void {
    for (const channel of this.channels) this.ipc.removeHandler(channel);
    this.channels.clear();
  }
}
