import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../common/index.ts';
import { startLocalCluster } from './local-cluster.ts';

// GreptimeDB's own SQL cases, replayed by the kit's runner (../shared/conformance/sqlness) over
// HTTP, and over the MySQL and PostgreSQL wire protocols for the cases that ask for them.
// Scores only go up: the floors sit just under the score last measured (4042 strict, 4211
// lenient of 4375 on 2026-11-22, later that day); raise them as it rises.
const floors = { strict: 4000, lenient: 4170 };
const runner = fileURLToPath(new URL('../../../shared/conformance/sqlness/run.mjs', import.meta.url));

process.env.TESSERA_LOG_LEVEL = 'error';

test('sqlness conformance: GreptimeDB cases over /v1/sql score at least the recorded floor', async (t) => {
  assert.ok(
    existsSync(runner),
    `The sqlness kit is missing: expected ${runner} (../shared/conformance beside the repository)`,
  );
  const dataHome = await mkdtemp(join(tmpdir(), 'tessera-sqlness-'));
  const cluster = await startLocalCluster({
    dataHome,
    datanodes: 1,
    httpAddr: '127.0.0.1:0',
    mysqlAddr: '127.0.0.1:0',
    postgresAddr: '127.0.0.1:0',
    logger: createLogger({ role: 'test', level: 'error' }),
  });
  assert.ok(cluster.mysqlAddr && cluster.postgresAddr, 'the cluster serves MySQL and PostgreSQL');
  try {
    const output = await new Promise<string>((resolve, reject) => {
      // The runner starts only when it is the main module, compared by real path: resolve links first.
      const args = ['--url', cluster.httpUrl, '--mysql', cluster.mysqlAddr!, '--pg', cluster.postgresAddr!];
      const child = spawn(process.execPath, [realpathSync(runner), ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`runner exited ${code}: ${text.slice(-2000)}`)),
      );
    });
    const match = /sqlness: (\d+)\/(\d+) statements strict, (\d+)\/\d+ lenient, (\d+)\/(\d+) files/.exec(output);
    assert.ok(match, `no score line in the runner's output: ${output.slice(-2000)}`);
    const [, strict, total, lenient, files, fileTotal] = match.map(Number);
    t.diagnostic(
      `sqlness: ${strict}/${total} strict, ${lenient}/${total} lenient, ${files}/${fileTotal} files fully passing`,
    );
    assert.ok(strict! >= floors.strict, `strict score ${strict} fell below the floor ${floors.strict}`);
    assert.ok(lenient! >= floors.lenient, `lenient score ${lenient} fell below the floor ${floors.lenient}`);
  } finally {
    await cluster.stop();
    await rm(dataHome, { recursive: true, force: true });
  }
});
