/**
 * Starts datanodes as Electron utility processes (`utilityProcess.fork`), behind the same
 * `ProcessLauncher` seam as `child_process.fork`. A utility process runs a JavaScript module
 * and talks over `process.parentPort`, while datanode entries are TypeScript that talk over
 * `process.send`; so every child starts in `utility-entry.js`, which loads tsx, gives the
 * entry the `process.send` / 'disconnect' it expects, and then imports it.
 *
 * Differences from Node's fork that this hides: the pid is known only once the process has
 * spawned (0 until then); `kill()` can only send SIGTERM, so other signals go through
 * `process.kill(pid)`; the exit event carries a code and no signal.
 */
import { fileURLToPath } from 'node:url';
import type { ForkOptions, UtilityProcess } from 'electron';
import type { LaunchSpec, LaunchedProcess, ProcessLauncher } from '../engine/cluster/index.ts';

/** The bootstrap every utility process runs first. */
export const utilityEntry: string = fileURLToPath(new URL('./utility-entry.js', import.meta.url));

/** The argument that tells the bootstrap which entry to import (the arguments after it are the entry's own). */
export const entryMarker = '--tessera-entry';

/** Electron's `utilityProcess.fork`, passed in so this file only needs Electron's types. */
export type UtilityFork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess;

export class UtilityProcessLauncher implements ProcessLauncher {
  readonly name = 'utility';
  private readonly fork: UtilityFork;

  constructor(fork: UtilityFork) {
    this.fork = fork;
  }

  launch(spec: LaunchSpec): LaunchedProcess {
    const child = this.fork(utilityEntry, [entryMarker, spec.entry, ...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: 'inherit',
      serviceName: `Tessera ${spec.name}`,
    });
    let pid = child.pid ?? 0;
    let exitedAlready = false;
    child.once('spawn', () => {
      pid = child.pid ?? pid;
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.once('exit', (code) => {
        exitedAlready = true;
        resolve({ code, signal: null });
      });
    });
    return {
      get pid() {
        return pid;
      },
      exited,
      onMessage: (listener) => {
        child.on('message', (message: unknown) => {
          // The first message can arrive before 'spawn' is handled; the bootstrap's hello carries the pid.
          if (pid === 0 && child.pid !== undefined) pid = child.pid;
          listener(message);
        });
      },
      kill: (signal = 'SIGTERM') => {
        if (exitedAlready) return;
        if (signal === 'SIGTERM' || process.platform === 'win32' || pid === 0) {
          child.kill();
          return;
        }
        try {
          process.kill(pid, signal);
        } catch {
          // Already gone: its exit event follows.
        }
      },
    };
  }
}
