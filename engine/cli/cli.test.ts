import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { processExists } from '../cluster/index.ts';

const bin = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));

interface Running {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function tessera(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, TESSERA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.resume();
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, exited };
}

async function waitForOutput(running: Running, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = running.stdout().match(pattern);
    if (match) return match;
    if (running.child.exitCode !== null)
      throw new Error(`exited (${running.child.exitCode}) before printing ${pattern}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} in: ${running.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface StatusNode {
  role: string;
  nodeId: number;
  pid: number;
  status: string;
}

async function statusNodes(httpUrl: string): Promise<StatusNode[]> {
  const response = await fetch(`${httpUrl}/status`);
  return ((await response.json()) as { nodes: StatusNode[] }).nodes;
}

async function waitForAlive(httpUrl: string, count: number): Promise<StatusNode[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const nodes = await statusNodes(httpUrl).catch(() => []);
    const alive = nodes.filter((node) => node.role === 'datanode' && node.status === 'alive');
    if (alive.length === count) return alive;
    if (Date.now() > deadline) throw new Error(`expected ${count} alive datanodes, saw ${JSON.stringify(nodes)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const alive = processExists;

const started: Running[] = [];
const dirs: string[] = [];
after(async () => {
  for (const running of started) if (running.child.exitCode === null) running.child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-cli-'));
  dirs.push(dir);
  return dir;
}

describe('tessera CLI', () => {
  test('--help lists the commands, and each command has its own help', async () => {
    const overview = tessera(['--help']);
    assert.equal((await overview.exited).code, 0);
    for (const name of ['serve', 'metasrv', 'frontend', 'datanode'])
      assert.match(overview.stdout(), new RegExp(`\\b${name}\\b`));
    const serveHelp = tessera(['serve', '--help']);
    assert.equal((await serveHelp.exited).code, 0);
    assert.match(serveHelp.stdout(), /--data-home DIR/);
    assert.match(serveHelp.stdout(), /--store URL/);
  });

  test('an unknown command or flag exits 2 with usage', async () => {
    const unknown = tessera(['launch']);
    assert.equal((await unknown.exited).code, 2);
    const badFlag = tessera(['serve', '--no-such-flag']);
    assert.equal((await badFlag.exited).code, 2);
  });

  test('serve starts 3 datanode processes and Ctrl-C stops all of them', async () => {
    const dataHome = await tempDir();
    const serve = tessera(['serve', '--data-home', dataHome, '--http-addr', '127.0.0.1:0']);
    started.push(serve);
    const [, httpUrl] = await waitForOutput(serve, /running at (http:\/\/[\d.:]+)\//);
    const datanodes = await waitForAlive(httpUrl!, 3);
    assert.equal((await fetch(`${httpUrl}/health`)).status, 200);
    const page = await fetch(`${httpUrl}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);

    serve.child.kill('SIGINT');
    const exit = await serve.exited;
    assert.equal(exit.code, 0);
    for (const node of datanodes)
      assert.equal(alive(node.pid), false, `datanode ${node.nodeId} (pid ${node.pid}) outlived serve`);
    await assert.rejects(fetch(`${httpUrl}/health`));
  });

  test('kill -9 of serve itself leaves no datanode behind', async () => {
    const dataHome = await tempDir();
    const serve = tessera(['serve', '--data-home', dataHome, '--http-addr', '127.0.0.1:0', '--datanodes', '2']);
    started.push(serve);
    const [, httpUrl] = await waitForOutput(serve, /running at (http:\/\/[\d.:]+)\//);
    const datanodes = await waitForAlive(httpUrl!, 2);
    serve.child.kill('SIGKILL');
    await serve.exited;
    const deadline = Date.now() + 30_000;
    while (datanodes.some((node) => alive(node.pid)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const node of datanodes) assert.equal(alive(node.pid), false, `datanode pid ${node.pid} was orphaned`);
  });

  test('metasrv, datanode and frontend started separately form one cluster', async () => {
    const home = await tempDir();
    const metasrv = tessera(['metasrv', '--data-home', home, '--bind-addr', '127.0.0.1:0']);
    started.push(metasrv);
    const [, metasrvUrl] = await waitForOutput(metasrv, /listening at (ws:\/\/[\d.]+:\d+)/);
    const tokenFile = join(home, 'cluster-token');

    const datanode = tessera([
      'datanode',
      '--metasrv',
      metasrvUrl!,
      '--data-home',
      join(home, 'dn'),
      '--token-file',
      tokenFile,
    ]);
    const frontend = tessera([
      'frontend',
      '--metasrv',
      metasrvUrl!,
      '--http-addr',
      '127.0.0.1:0',
      '--token-file',
      tokenFile,
    ]);
    started.push(datanode, frontend);
    const [, httpUrl] = await waitForOutput(frontend, /serving (http:\/\/[\d.]+:\d+)\//);
    const [node] = await waitForAlive(httpUrl!, 1);
    assert.equal(node!.pid, datanode.child.pid);

    const intruder = tessera(['datanode', '--metasrv', metasrvUrl!, '--data-home', join(home, 'dn2')], {
      TESSERA_CLUSTER_TOKEN: 'a-wrong-token-of-enough-length',
    });
    started.push(intruder);
    assert.equal((await intruder.exited).code, 1, 'a datanode whose token is refused exits with an error');
    assert.equal((await statusNodes(httpUrl!)).filter((entry) => entry.role === 'datanode').length, 1);

    for (const running of [frontend, datanode, metasrv]) {
      running.child.kill('SIGTERM');
      assert.equal((await running.exited).code, 0);
    }
  });
});
