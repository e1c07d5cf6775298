import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NodeProcessLauncher } from '../engine/cluster/index.ts';
import type { ProcessLauncher } from '../engine/cluster/index.ts';
import { ErrorCode, TesseraError, createLogger } from '../engine/common/index.ts';
import { DesktopCluster } from './desktop-cluster.ts';
import { chooseLauncher, createLauncher } from './launcher-selection.ts';

process.env.TESSERA_LOG_LEVEL = 'error';

test('inside Electron datanodes run as utility processes; under plain Node as child processes', () => {
  assert.equal(
    chooseLauncher({ electronVersion: '41.10.0', utilityProcessAvailable: true, requested: undefined }).kind,
    'utility',
  );
  assert.equal(
    chooseLauncher({ electronVersion: undefined, utilityProcessAvailable: false, requested: undefined }).kind,
    'node',
  );
  // ELECTRON_RUN_AS_NODE: Electron's binary acting as Node has no utilityProcess.
  assert.equal(
    chooseLauncher({ electronVersion: '41.10.0', utilityProcessAvailable: false, requested: '' }).kind,
    'node',
  );
});

test('TESSERA_DATANODE_LAUNCHER overrides the choice, and a wrong or impossible value is an error that says so', () => {
  const choice = chooseLauncher({ electronVersion: '41.10.0', utilityProcessAvailable: true, requested: 'node' });
  assert.deepEqual(choice, { kind: 'node', reason: 'TESSERA_DATANODE_LAUNCHER=node' });
  assert.throws(
    () => chooseLauncher({ electronVersion: undefined, utilityProcessAvailable: false, requested: 'utility' }),
    (error: unknown) =>
      error instanceof TesseraError &&
      error.code === ErrorCode.InvalidArguments &&
      /needs Electron's utilityProcess/.test(error.message),
  );
  assert.throws(
    () => chooseLauncher({ electronVersion: '41.10.0', utilityProcessAvailable: true, requested: 'thread' }),
    /Invalid TESSERA_DATANODE_LAUNCHER 'thread'/,
  );
});

test('the launcher chosen under plain Node runs a real cluster whose datanodes are this process’s children', async (t) => {
  const built: string[] = [];
  const { launcher, reason } = createLauncher(
    { electronVersion: process.versions.electron, utilityProcessAvailable: false, requested: undefined },
    {
      node: () => {
        built.push('node');
        return new NodeProcessLauncher();
      },
      utility: (): ProcessLauncher => {
        throw new Error('the utility launcher must not be built under plain Node');
      },
    },
  );
  assert.deepEqual(built, ['node']);
  assert.match(reason, /plain Node/);

  const dataHome = await mkdtemp(join(tmpdir(), 'tessera-launcher-'));
  const cluster = new DesktopCluster({
    dataHome,
    launcher,
    datanodes: 1,
    logger: createLogger({ role: 'test', level: 'error' }),
  });
  t.after(async () => {
    await cluster.stop();
    await rm(dataHome, { recursive: true, force: true });
  });
  await cluster.start();
  const [datanode] = cluster.status().datanodes;
  assert.equal(cluster.status().launcher, 'node');
  assert.equal(datanode?.state, 'running');
  let stat: string;
  try {
    stat = await readFile(`/proc/${datanode!.pid}/stat`, 'utf8');
  } catch {
    return; // no procfs: the running state above is what we can check
  }
  const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  assert.equal(parentPid, process.pid);
});
