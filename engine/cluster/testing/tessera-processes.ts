/**
 * `tessera <role>` as real child processes, for the tests that must kill one role dead
 * (metasrv at a fault point, a leader metasrv, a datanode) while the others run on: each
 * child's output is kept for the assertions and for the failure message, and `killAll`
 * SIGKILLs whatever is still running when the test file ends.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.ts';

const bin = fileURLToPath(new URL('../../../bin/tessera.js', import.meta.url));

export interface TesseraProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  exited: Promise<void>;
}

export class TesseraProcesses {
  private readonly running: TesseraProcess[] = [];

  /** Starts `tessera ...args` (logging at warn unless `env` says otherwise). */
  start(args: string[], env: Record<string, string> = {}): TesseraProcess {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, TESSERA_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const entry = { child, output: () => output, exited };
    this.running.push(entry);
    return entry;
  }

  /**
   * Starts a frontend joining `metasrv` (one address or a comma list) on a free HTTP port,
   * without the wire protocols, and resolves once it serves, with its HTTP URL.
   */
  async startFrontend(metasrv: string, tokenFile: string): Promise<{ frontend: TesseraProcess; httpUrl: string }> {
    const frontend = this.start([
      'frontend',
      '--metasrv',
      metasrv,
      '--http-addr',
      '127.0.0.1:0',
      '--mysql-addr',
      'off',
      '--postgres-addr',
      'off',
      '--token-file',
      tokenFile,
    ]);
    const httpUrl = await waitFor(
      'frontend serving',
      async () => frontend.output().match(/serving (http:\/\/[\d.]+:\d+)\//)?.[1],
    );
    return { frontend, httpUrl };
  }

  /** SIGKILLs every child still running and waits for each to exit. */
  async killAll(): Promise<void> {
    for (const entry of this.running) {
      if (entry.child.exitCode === null && entry.child.signalCode === null) {
        entry.child.kill('SIGKILL');
        await entry.exited;
      }
    }
  }
}

/** A port free on 127.0.0.1 right now (for roles that must be restarted on the same address). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
