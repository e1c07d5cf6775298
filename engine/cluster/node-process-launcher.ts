/**
 * Launches processes with `child_process.fork`. Entry files are TypeScript, so children
 * load tsx as an ESM loader; its absolute URL is resolved here so a child started from any
 * working directory finds it.
 */
import { fork } from 'node:child_process';
import type { LaunchSpec, LaunchedProcess, ProcessLauncher } from './process-launcher.ts';

const tsxLoader = import.meta.resolve('tsx');

export class NodeProcessLauncher implements ProcessLauncher {
  readonly name = 'node';

  launch(spec: LaunchSpec): LaunchedProcess {
    const child = fork(spec.entry, spec.args, {
      execArgv: ['--import', tsxLoader],
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    if (child.pid === undefined) {
      throw new Error(`Could not start ${spec.name}: fork returned no pid`);
    }
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    // An error after spawn (e.g. a failed send) must not crash the parent; exit still follows.
    child.on('error', () => {});
    return {
      pid: child.pid,
      exited,
      onMessage: (listener) => child.on('message', listener),
      kill: (signal = 'SIGTERM') => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    };
  }
}
