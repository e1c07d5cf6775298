import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { NodeProcessLauncher, processExists } from '../engine/cluster/index.ts';
import type { ProcessLauncher } from '../engine/cluster/index.ts';
import { createLogger } from '../engine/common/index.ts';
import { DesktopCluster } from './desktop-cluster.ts';
import { QuitController, shutdownOrder } from './shutdown.ts';

process.env.TESSERA_LOG_LEVEL = 'error';
const quiet = createLogger({ role: 'test', level: 'error' });

/** Electron's before-quit event, reduced to what the controller uses. */
function beforeQuitEvent() {
  const event = { prevented: false, preventDefault: () => void (event.prevented = true) };
  return event;
}

async function sql(httpUrl: string, statement: string): Promise<unknown[][]> {
  const response = await fetch(`${httpUrl}/v1/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sql: statement }),
  });
  const body = (await response.json()) as { error?: string; output?: { records?: { rows: unknown[][] } }[] };
  assert.equal(response.status, 200, body.error);
  return body.output?.[0]?.records?.rows ?? [];
}

describe('quitting', () => {
  test('the first before-quit is held; the steps run in order, once; then the app quits for real', async () => {
    const ran: string[] = [];
    let quits = 0;
    let releaseCluster!: () => void;
    const controller = new QuitController(
      {
        saveWindowState: () => void ran.push('saveWindowState'),
        closeIpc: () => void ran.push('closeIpc'),
        stopCluster: () =>
          new Promise<void>((resolve) => {
            ran.push('stopCluster');
            releaseCluster = resolve;
          }),
      },
      () => quits++,
      () => {},
    );
    const first = beforeQuitEvent();
    controller.onBeforeQuit(first);
    assert.equal(first.prevented, true);
    assert.equal(controller.phase, 'stopping');
    // Quit again (Cmd+Q twice) while the cluster stops: still held, no second shutdown.
    const again = beforeQuitEvent();
    controller.onBeforeQuit(again);
    assert.equal(again.prevented, true);
    await new Promise((resolve) => setImmediate(resolve));
    releaseCluster();
    await controller.shutdown();
    assert.deepEqual(ran, [...shutdownOrder]);
    assert.deepEqual(ran, ['saveWindowState', 'closeIpc', 'stopCluster']);
    assert.equal(quits, 1);
    assert.equal(controller.phase, 'done');
    const last = beforeQuitEvent();
    controller.onBeforeQuit(last);
    assert.equal(last.prevented, false, 'the real quit passes through');
  });

  test('a failing step is reported and the cluster is stopped anyway', async () => {
    const failures: string[] = [];
    let clusterStopped = false;
    const controller = new QuitController(
      {
        saveWindowState: () => Promise.reject(new Error('disk full')),
        closeIpc: () => {
          throw new Error('already closed');
        },
        stopCluster: async () => void (clusterStopped = true),
      },
      () => {},
      (step, error) => failures.push(`${step}: ${(error as Error).message}`),
    );
    await controller.shutdown();
    assert.equal(clusterStopped, true);
    assert.deepEqual(failures, ['saveWindowState: disk full', 'closeIpc: already closed']);
  });

  test('quitting while the cluster is still starting stops everything it started', async () => {
    const dataHome = await mkdtemp(join(tmpdir(), 'tessera-early-quit-'));
    try {
      const inner = new NodeProcessLauncher();
      const launched: number[] = [];
      const launcher: ProcessLauncher = {
        name: inner.name,
        launch: (spec) => {
          const child = inner.launch(spec);
          launched.push(child.pid);
          return child;
        },
      };
      const cluster = new DesktopCluster({ dataHome, launcher, datanodes: 2, logger: quiet });
      const started = cluster.start();
      await cluster.stop();
      await started;
      assert.equal(cluster.status().state, 'stopped');
      assert.equal(launched.length, 2);
      for (const pid of launched) assert.ok(!processExists(pid), `datanode pid ${pid} is gone`);
    } finally {
      await rm(dataHome, { recursive: true, force: true });
    }
  });

  test('with a real cluster: no datanode outlives the quit, and what was written is there after a restart', async () => {
    const dataHome = await mkdtemp(join(tmpdir(), 'tessera-quit-'));
    try {
      const cluster = new DesktopCluster({
        dataHome,
        launcher: new NodeProcessLauncher(),
        datanodes: 2,
        logger: quiet,
      });
      await cluster.start();
      const httpUrl = cluster.httpUrl!;
      await sql(httpUrl, 'CREATE TABLE cpu (host STRING, ts TIMESTAMP TIME INDEX, usage DOUBLE, PRIMARY KEY(host))');
      await sql(httpUrl, "INSERT INTO cpu VALUES ('a', 1700000000000, 0.5), ('b', 1700000000000, 0.75)");
      const pids = cluster.status().datanodes.map((datanode) => datanode.pid!);
      assert.equal(pids.length, 2);

      const order: string[] = [];
      let quit = false;
      const controller = new QuitController(
        {
          saveWindowState: () => void order.push('saveWindowState'),
          closeIpc: () => void order.push('closeIpc'),
          stopCluster: async () => {
            order.push('stopCluster');
            await cluster.stop();
          },
        },
        () => (quit = true),
        (step, error) => assert.fail(`${step} failed: ${String(error)}`),
      );
      controller.onBeforeQuit(beforeQuitEvent());
      await controller.shutdown();
      assert.equal(quit, true);
      assert.deepEqual(order, ['saveWindowState', 'closeIpc', 'stopCluster']);
      assert.equal(cluster.status().state, 'stopped');
      for (const pid of pids) assert.ok(!processExists(pid), `datanode pid ${pid} is gone`);
      // The HTTP port is closed too: the frontend stopped.
      await assert.rejects(fetch(`${httpUrl}/health`));

      const reopened = new DesktopCluster({
        dataHome,
        launcher: new NodeProcessLauncher(),
        datanodes: 2,
        logger: quiet,
      });
      await reopened.start();
      try {
        const rows = await sql(reopened.httpUrl!, 'SELECT host, usage FROM cpu ORDER BY host');
        assert.deepEqual(rows, [
          ['a', 0.5],
          ['b', 0.75],
        ]);
      } finally {
        await reopened.stop();
      }
    } finally {
      await rm(dataHome, { recursive: true, force: true });
    }
  });
});
