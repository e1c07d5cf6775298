/**
 * A real `tessera serve` for the browser tests: a temp data dir, one datanode, a free port
 * (the CLI prints the URL it bound). Stopped by its PID with SIGINT, which stops its
 * datanodes too; the data dir is removed afterwards.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../bin/tessera.js', import.meta.url));

export interface TesseraServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `extraArgs` go to `serve` as given, e.g. `--user-provider static_user_provider:cmd:u=p`. */
export async function startTessera(name: string, extraArgs: string[] = []): Promise<TesseraServer> {
  const dataHome = mkdtempSync(join(tmpdir(), `tessera-e2e-${name}-`));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      cli,
      'serve',
      '--data-home',
      dataHome,
      '--http-addr',
      '127.0.0.1:0',
      '--mysql-addr',
      'off',
      '--postgres-addr',
      'off',
      '--datanodes',
      '1',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tessera serve (${name}) did not start in 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Tessera is running at (http:\/\/[^\s/]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tessera serve (${name}) exited with ${code}:\n${output}`));
    });
  });
  // Keep draining the logs so the child never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        process.kill(child.pid!, 'SIGINT');
        const timer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataHome, { recursive: true, force: true });
    },
  };
}
