/**
 * For the wire protocol tests: a real `tessera serve` (one datanode, temp data dir, free ports)
 * whose MySQL and PostgreSQL addresses are read from its startup line, plus a raw TCP client
 * that reads exact byte counts.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SocketReader } from '../socket-reader.ts';

const bin = fileURLToPath(new URL('../../../../bin/tessera.js', import.meta.url));

export interface ServedCluster {
  httpUrl: string;
  mysql: { host: string; port: number };
  postgres: { host: string; port: number };
  /** What the server wrote to stdout and stderr so far (its logs). */
  output(): string;
  stop(): Promise<void>;
}

function hostPort(addr: string): { host: string; port: number } {
  const at = addr.lastIndexOf(':');
  return { host: addr.slice(0, at), port: Number(addr.slice(at + 1)) };
}

/** Users every wire test logs in as (GreptimeDB's static user provider syntax). */
export const testUsers = { root: 'secret', postgres: 'secret' };

export async function serveForTest(): Promise<ServedCluster> {
  const users = Object.entries(testUsers)
    .map(([user, password]) => `${user}=${password}`)
    .join(',');
  const dataHome = await mkdtemp(join(tmpdir(), 'tessera-wire-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      'serve',
      ...['--data-home', dataHome, '--http-addr', '127.0.0.1:0', '--datanodes', '1'],
      ...['--user-provider', `static_user_provider:cmd:${users}`],
    ],
    { env: { ...process.env, TESSERA_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dataHome, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const http = /running at (http:\/\/[\d.:]+)\//.exec(out);
    const wire = /MySQL at ([\d.:]+), PostgreSQL at ([\d.:]+)/.exec(out);
    if (http && wire) {
      return { httpUrl: http[1]!, mysql: hostPort(wire[1]!), postgres: hostPort(wire[2]!), output: () => out, stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`tessera serve did not start: ${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether a command-line client is installed (`psql`, `mysql`). */
export function hasCommand(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs a command-line client and returns its exit code, stdout and stderr. */
export function runClient(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A raw TCP connection for speaking a protocol by hand. */
export class RawConnection {
  readonly socket: Socket;
  readonly reader: SocketReader;
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.reader = new SocketReader(socket);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async open(host: string, port: number): Promise<RawConnection> {
    const socket = connect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawConnection(socket);
  }

  write(data: Buffer): void {
    this.socket.write(data);
  }

  read(length: number): Promise<Buffer> {
    return this.reader.read(length);
  }

  close(): void {
    this.socket.destroy();
  }
}
