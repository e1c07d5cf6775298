/**
 * The renderer's cluster actions end to end, with Electron replaced only at the IPC seam:
 * window.tessera (createDesktopApi) → validated IPC → handlers → DesktopCluster → a real
 * local cluster whose datanodes are real processes (Node launcher).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NodeProcessLauncher, processExists, waitFor } from '../engine/cluster/index.ts';
import { createLogger } from '../engine/common/index.ts';
import type { DesktopClusterEvent, TesseraDesktopApi } from '../renderer/shared/desktop-api.ts';
import { createDesktopApi } from './desktop-api-client.ts';
import { clusterEventChannel } from './desktop-channels.ts';
import { DesktopCluster } from './desktop-cluster.ts';
import { registerDesktopHandlers } from './desktop-handlers.ts';
import { ValidatedIpcMain, originOf } from './ipc-validation.ts';
import { IpcMainStandIn, IpcRendererStandIn } from './testing/ipc-stand-in.ts';

process.env.TESSERA_LOG_LEVEL = 'error';
const quiet = createLogger({ role: 'test', level: 'error' });

interface StatusDocument {
  datanodes: { alive: number };
  nodes: { role: string; nodeId: number; status: string; downReason?: string }[];
}

async function metasrvStatus(httpUrl: string): Promise<StatusDocument> {
  return (await (await fetch(`${httpUrl}/status`)).json()) as StatusDocument;
}

async function aliveDatanodes(httpUrl: string): Promise<number> {
  return (await metasrvStatus(httpUrl)).datanodes.alive;
}

describe('the desktop cluster, driven through window.tessera', () => {
  let dataHome: string;
  let cluster: DesktopCluster;
  let api: TesseraDesktopApi;
  let renderer: IpcRendererStandIn;
  const events: DesktopClusterEvent[] = [];
  const opened: string[] = [];

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-desktop-'));
    cluster = new DesktopCluster({
      dataHome,
      launcher: new NodeProcessLauncher(),
      datanodes: 2,
      // Production heartbeat and lease (2 s / 10 s): nothing here waits for a lease to run out,
      // and a loaded test machine must not see a live datanode expire.
      logger: quiet,
    });
    const main = new IpcMainStandIn();
    const ipc = new ValidatedIpcMain(
      main,
      () => (cluster.httpUrl ? originOf(cluster.httpUrl) : undefined),
      () => {},
    );
    registerDesktopHandlers(ipc, cluster, {
      openPath: async (path) => {
        opened.push(path);
        return '';
      },
      appVersion: () => ({ app: '0.1.0', electron: '41.10.0', chrome: '', node: process.versions.node }),
    });
    await cluster.start();
    renderer = new IpcRendererStandIn(main, `${cluster.httpUrl}/cluster`);
    cluster.onEvent((event) => renderer.send(clusterEventChannel, event));
    api = createDesktopApi(renderer);
    api.onClusterEvent((event) => events.push(event));
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('status: running, on a free loopback port, two datanode processes registered', async () => {
    const status = await api.clusterStatus();
    assert.equal(status.state, 'running');
    assert.match(status.httpUrl!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(status.httpUrl!).port, '4000');
    assert.equal(status.launcher, 'node');
    assert.equal(status.dataHome, dataHome);
    assert.equal(status.error, null);
    assert.deepEqual(
      status.datanodes.map(({ index, state }) => ({ index, state })),
      [
        { index: 1, state: 'running' },
        { index: 2, state: 'running' },
      ],
    );
    // Node ids go in order of registration, which two datanodes starting together may swap.
    assert.deepEqual(status.datanodes.map((datanode) => datanode.nodeId).sort(), [1, 2]);
    for (const datanode of status.datanodes) assert.ok(datanode.pid && processExists(datanode.pid));
  });

  test('a crashed datanode is reported to the renderer, then restarted under the same node id', async () => {
    const before = (await api.clusterStatus()).datanodes[1]!;
    const seen = events.length;
    process.kill(before.pid!, 'SIGKILL');
    const crashed = await waitFor('the crash event', () =>
      events.slice(seen).find((event) => event.type === 'datanode-crashed'),
    );
    assert.deepEqual(
      { ...crashed, at: 0 },
      {
        type: 'datanode-crashed',
        index: 2,
        nodeId: before.nodeId,
        pid: before.pid,
        code: null,
        signal: 'SIGKILL',
        at: 0,
      },
    );
    const ready = await waitFor('the restarted datanode', () =>
      events.slice(seen).find((event) => event.type === 'datanode-ready' && event.index === 2),
    );
    assert.equal(ready.type === 'datanode-ready' && ready.restarted, true);
    const after = (await api.clusterStatus()).datanodes[1]!;
    assert.equal(after.nodeId, before.nodeId);
    assert.notEqual(after.pid, before.pid);
    assert.equal(after.state, 'running');
    assert.equal(after.restarts, 1);
    // Status events followed the whole way: restarting while the process was gone.
    const states = events
      .slice(seen)
      .flatMap((event) => (event.type === 'status' ? [event.status.datanodes[1]!.state] : []));
    assert.ok(states.includes('restarting'), states.join(','));
  });

  test('stop keeps a datanode stopped (metasrv hears at once, no crash is reported); start brings it back', async () => {
    const before = (await api.clusterStatus()).datanodes[0]!;
    const seen = events.length;
    const stopped = await api.stopDatanode(1);
    assert.equal(stopped.datanodes[0]!.state, 'stopped');
    assert.equal(stopped.datanodes[0]!.pid, null);
    assert.ok(!processExists(before.pid!));
    const seenByMetasrv = (await metasrvStatus(stopped.httpUrl!)).nodes.find(
      (node) => node.role === 'datanode' && node.nodeId === before.nodeId,
    );
    assert.equal(seenByMetasrv?.status, 'down');
    assert.match(seenByMetasrv?.downReason ?? '', /stopped on request/);
    // Well past the first restart backoff: still stopped.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal((await api.clusterStatus()).datanodes[0]!.state, 'stopped');

    const started = await api.startDatanode(1);
    assert.equal(started.datanodes[0]!.nodeId, before.nodeId);
    assert.ok(started.datanodes[0]!.pid && started.datanodes[0]!.pid !== before.pid);
    await waitFor('two alive datanodes', async () => (await aliveDatanodes(started.httpUrl!)) === 2);
    assert.equal(events.slice(seen).filter((event) => event.type === 'datanode-crashed').length, 0);
  });

  test('restart replaces the process, keeps the node id, and is not a crash', async () => {
    const before = (await api.clusterStatus()).datanodes[0]!;
    const seen = events.length;
    const after = (await api.restartDatanode(1)).datanodes[0]!;
    assert.equal(after.nodeId, before.nodeId);
    assert.notEqual(after.pid, before.pid);
    assert.ok(!processExists(before.pid!));
    await waitFor('datanode 1 running', async () => (await api.clusterStatus()).datanodes[0]!.state === 'running');
    assert.equal(events.slice(seen).filter((event) => event.type === 'datanode-crashed').length, 0);
  });

  test('add starts a third datanode', async () => {
    const status = await api.addDatanode();
    assert.equal(status.datanodes.length, 3);
    assert.equal(status.datanodes[2]!.nodeId, 3);
    assert.equal(status.datanodes[2]!.state, 'running');
    await waitFor('three alive datanodes', async () => (await aliveDatanodes(status.httpUrl!)) === 3);
  });

  test('bad requests are refused with a reason, before or by the cluster', async () => {
    await assert.rejects(api.stopDatanode(99), /Refused: .*datanode index from 1 to 64, got 99/);
    await assert.rejects(api.restartDatanode(0.5), /Refused/);
    await assert.rejects(api.stopDatanode(7), /Datanode 7 is not part of this cluster/);
    assert.equal((await api.clusterStatus()).datanodes.length, 3);
  });

  test('open the data folder, and the app version', async () => {
    await api.openDataFolder();
    assert.deepEqual(opened, [dataHome]);
    assert.equal((await api.appVersion()).electron, '41.10.0');
  });

  test('an unsubscribed listener hears nothing more', () => {
    const before = renderer.listenerCount(clusterEventChannel);
    const unsubscribe = api.onClusterEvent(() => {});
    assert.equal(renderer.listenerCount(clusterEventChannel), before + 1);
    unsubscribe();
    assert.equal(renderer.listenerCount(clusterEventChannel), before);
  });
});
