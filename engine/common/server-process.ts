/**
 * A throwaway server process for tests and benchmarks (etcd, s3rver): spawned, its stderr
 * tail kept for error messages, killed if the parent exits first, and stopped by pid with
 * SIGTERM then SIGKILL. Callers wait for readiness their own way (a health URL, a log line).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface ServerProcess {
  /** stdout is piped only with `pipeStdout`; stderr is always piped (and read here). */
  readonly child: ChildProcess;
  readonly pid: number;
  /** Whether the process has exited (or failed to spawn). */
  readonly exited: boolean;
  /** Resolves when the process exits. */
  readonly exit: Promise<void>;
  /** The last 4000 characters the process wrote to stderr. */
  stderrTail(): string;
  /** SIGTERM, SIGKILL after `killAfterMs` (default 5 s); resolves once it exited. Safe to call twice. */
  stop(killAfterMs?: number): Promise<void>;
}

export function spawnServerProcess(
  command: string,
  args: readonly string[],
  options: { pipeStdout?: boolean } = {},
): ServerProcess {
  const child = spawn(command, args, { stdio: ['ignore', options.pipeStdout ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  let exited = false;
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  child.once('error', (error) => {
    // A spawn failure may come without an 'exit'.
    stderr += `\n${error.message}`;
    exited = true;
  });
  // If the parent dies first, do not leave the server behind.
  const killOnExit = (): void => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  return {
    child,
    pid: child.pid ?? 0,
    get exited() {
      return exited;
    },
    exit,
    stderrTail: () => stderr.trim(),
    stop: (killAfterMs = 5000) =>
      (stopped ??= (async () => {
        if (!exited && child.pid !== undefined) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
          await exit;
          clearTimeout(timer);
        }
        process.removeListener('exit', killOnExit);
      })()),
  };
}
