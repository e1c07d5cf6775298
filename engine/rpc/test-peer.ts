/**
 * Starts `test-peer-main.ts` in a child process (`child_process.fork` through tsx) and gives
 * the test a handle: its url, its captured stderr (the server's log), and ways to stop, kill,
 * pause (SIGSTOP, a hung but connected peer) and resume it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How the child's server is configured (passed as argv JSON). */
export interface PeerConfig {
  token: string;
  port?: number;
  pingIntervalMs?: number;
  streamHighWaterMarkBytes?: number;
}

/** Messages over the IPC channel. */
export type PeerMessage = { type: 'listening'; port: number; url: string } | { type: 'stop' };

/** A running peer process. */
export interface Peer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the child wrote to stderr so far (its JSON log lines). */
  stderr(): string;
  /** Closes the server cleanly, then waits for the process to exit (killing it after 5 s). */
  stop(): Promise<void>;
  /** SIGKILLs the process and waits for it to exit. */
  kill(): Promise<void>;
  /** SIGSTOP: the process keeps its sockets but stops answering. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** Whether the process is still running. */
  readonly alive: boolean;
}

const mainFile = fileURLToPath(new URL('./test-peer-main.ts', import.meta.url));

/** Forks a peer and resolves once its server listens; rejects with its stderr if it exits first. */
export function startPeer(config: PeerConfig): Promise<Peer> {
  const child = fork(mainFile, [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<Peer>((resolve, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`test peer exited (${code ?? signal}) before listening:\n${stderr}`)),
    );
    child.once('message', (message: PeerMessage) => {
      if (message.type !== 'listening') return;
      resolve(peerHandle(child, message.url, message.port, () => stderr, exited));
    });
  });
}

function peerHandle(child: ChildProcess, url: string, port: number, stderr: () => string, exited: Promise<void>): Peer {
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const waitOrKill = async (ms: number): Promise<void> => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    port,
    pid: child.pid!,
    stderr,
    get alive() {
      return running;
    },
    async stop() {
      if (!running) return;
      child.kill('SIGCONT');
      child.send({ type: 'stop' } satisfies PeerMessage);
      await waitOrKill(5000);
    },
    async kill() {
      if (!running) return;
      child.kill('SIGKILL');
      await exited;
    },
    pause() {
      child.kill('SIGSTOP');
    },
    resume() {
      child.kill('SIGCONT');
    },
  };
}
