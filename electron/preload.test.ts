/**
 * The preload as it ships: scripts/build-electron.js bundles it into one CommonJS file,
 * which is then run the way a sandboxed preload runs — in its own context, where `require`
 * gives only `electron` (here, the two objects it uses, as a seam).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import type { TesseraDesktopApi } from '../renderer/shared/desktop-api.ts';
import { clusterEventChannel, invokeChannels } from './desktop-channels.ts';

const buildScript = fileURLToPath(new URL('../scripts/build-electron.js', import.meta.url));

test('the bundled preload needs only electron and exposes exactly window.tessera on tessera: channels', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-preload-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'preload.cjs');
  await promisify(execFile)(process.execPath, [buildScript, outfile]);
  const code = await readFile(outfile, 'utf8');

  const required: string[] = [];
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  const subscribed: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        invoked.push({ channel, args });
        return { answered: channel };
      },
      on: (channel: string) => subscribed.push(channel),
      removeListener: (channel: string) => subscribed.push(`-${channel}`),
    },
  };
  const module = { exports: {} };
  runInNewContext(code, {
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require '${name}'`);
    },
  });

  assert.deepEqual(required, ['electron']);
  assert.deepEqual([...exposed.keys()], ['tessera']);
  const api = exposed.get('tessera') as TesseraDesktopApi;
  assert.deepEqual(Object.keys(api).sort(), [
    'addDatanode',
    'appVersion',
    'clusterStatus',
    'onClusterEvent',
    'openDataFolder',
    'restartDatanode',
    'startDatanode',
    'stopDatanode',
  ]);

  assert.deepEqual(await api.restartDatanode(2), { answered: 'tessera:datanode-restart' });
  await api.clusterStatus();
  await api.startDatanode(1);
  await api.stopDatanode(3);
  await api.addDatanode();
  await api.openDataFolder();
  await api.appVersion();
  assert.deepEqual(invoked, [
    { channel: invokeChannels.restartDatanode.channel, args: [2] },
    { channel: invokeChannels.clusterStatus.channel, args: [] },
    { channel: invokeChannels.startDatanode.channel, args: [1] },
    { channel: invokeChannels.stopDatanode.channel, args: [3] },
    { channel: invokeChannels.addDatanode.channel, args: [] },
    { channel: invokeChannels.openDataFolder.channel, args: [] },
    { channel: invokeChannels.appVersion.channel, args: [] },
  ]);
  for (const { channel } of invoked) assert.match(channel, /^tessera:/);

  const unsubscribe = api.onClusterEvent(() => {});
  unsubscribe();
  assert.deepEqual(subscribed, [clusterEventChannel, `-${clusterEventChannel}`]);
});
