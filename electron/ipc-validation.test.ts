import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { invokeChannels } from './desktop-channels.ts';
import { ValidatedIpcMain, validateIpcCall } from './ipc-validation.ts';
import type { IpcSenderFrame } from './ipc-validation.ts';
import { IpcMainStandIn } from './testing/ipc-stand-in.ts';

const app = 'http://127.0.0.1:4901';
const top = (url: string): IpcSenderFrame => ({ url, parent: null });

describe('validateIpcCall', () => {
  test('a known channel from the app’s top frame with the right arguments passes', () => {
    assert.deepEqual(validateIpcCall('tessera:cluster-status', top(`${app}/`), [], app), { ok: true });
    assert.deepEqual(validateIpcCall('tessera:datanode-stop', top(`${app}/cluster`), [2], app), { ok: true });
  });

  test('unknown channels are refused, even with our prefix', () => {
    for (const channel of ['tessera:shell-exec', 'vscode:openExternal', '', 'tessera:']) {
      const verdict = validateIpcCall(channel, top(`${app}/`), [], app);
      assert.equal(verdict.ok, false, channel);
    }
  });

  test('senders from another origin, a subframe, a vanished frame, or before the app has an origin are refused', () => {
    const refusals = [
      validateIpcCall('tessera:cluster-status', top('https://evil.example/'), [], app),
      validateIpcCall('tessera:cluster-status', top('http://127.0.0.1:4000/'), [], app),
      validateIpcCall('tessera:cluster-status', top('file:///tmp/page.html'), [], app),
      validateIpcCall('tessera:cluster-status', top('about:blank'), [], app),
      validateIpcCall('tessera:cluster-status', { url: `${app}/`, parent: {} }, [], app),
      validateIpcCall('tessera:cluster-status', null, [], app),
      validateIpcCall('tessera:cluster-status', top(`${app}/`), [], undefined),
    ];
    for (const verdict of refusals) assert.equal(verdict.ok, false, JSON.stringify(verdict));
    const reason = (refusals[0] as { reason: string }).reason;
    assert.match(reason, /evil\.example.*is not the app/);
  });

  test('arguments must have the channel’s shape', () => {
    assert.match(
      (validateIpcCall('tessera:cluster-status', top(`${app}/`), ['extra'], app) as { reason: string }).reason,
      /takes no arguments, got 1/,
    );
    for (const args of [[], [0], [-1], [1.5], [65], ['1'], [null], [1, 2], [{ index: 1 }], [Number.NaN]]) {
      const verdict = validateIpcCall('tessera:datanode-restart', top(`${app}/`), args, app);
      assert.equal(verdict.ok, false, JSON.stringify(args));
    }
    assert.match(
      (validateIpcCall('tessera:datanode-start', top(`${app}/`), ['1'], app) as { reason: string }).reason,
      /one datanode index from 1 to 64, got "1"/,
    );
  });

  test('every declared channel is validated (none slips through as unknown)', () => {
    for (const { channel, takes } of Object.values(invokeChannels)) {
      const args = takes === 'nothing' ? [] : [1];
      assert.deepEqual(validateIpcCall(channel, top(`${app}/`), args, app), { ok: true }, channel);
    }
  });
});

describe('ValidatedIpcMain', () => {
  test('runs the handler only for validated calls, and reports refusals', async () => {
    const ipc = new IpcMainStandIn();
    const refused: string[] = [];
    const ran: unknown[][] = [];
    const validated = new ValidatedIpcMain(
      ipc,
      () => app,
      (reason) => refused.push(reason),
    );
    validated.handle('tessera:datanode-stop', (...args) => {
      ran.push(args);
      return 'stopped';
    });
    assert.equal(await ipc.invoke('tessera:datanode-stop', top(`${app}/`), 3), 'stopped');
    await assert.rejects(ipc.invoke('tessera:datanode-stop', top('https://evil.example/'), 3), /Refused: .*evil/);
    await assert.rejects(
      ipc.invoke('tessera:datanode-stop', top(`${app}/`), '3; rm -rf /'),
      /Refused: .*datanode index/,
    );
    assert.deepEqual(ran, [[3]]);
    assert.equal(refused.length, 2);
  });

  test('the origin is read at call time (the cluster’s port is known only once it runs)', async () => {
    const ipc = new IpcMainStandIn();
    const cluster: { origin?: string } = {};
    const validated = new ValidatedIpcMain(
      ipc,
      () => cluster.origin,
      () => {},
    );
    validated.handle('tessera:cluster-status', () => 'status');
    await assert.rejects(ipc.invoke('tessera:cluster-status', top(`${app}/`)), /no origin yet/);
    cluster.origin = app;
    assert.equal(await ipc.invoke('tessera:cluster-status', top(`${app}/`)), 'status');
  });

  test('dispose removes every handler, so nothing answers during shutdown', async () => {
    const ipc = new IpcMainStandIn();
    const validated = new ValidatedIpcMain(
      ipc,
      () => app,
      () => {},
    );
    validated.handle('tessera:cluster-status', () => 'status');
    validated.handle('tessera:datanode-add', () => 'added');
    validated.dispose();
    assert.equal(ipc.handlers.size, 0);
    await assert.rejects(ipc.invoke('tessera:datanode-add', top(`${app}/`)), /No handler/);
  });
});
