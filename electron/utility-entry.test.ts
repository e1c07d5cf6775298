/**
 * The utility-process bootstrap under plain Node: forked as an ordinary child (which has
 * its own `process.send`), it must load tsx itself, hand the entry its own arguments, and
 * import it. (Inside Electron the `process.parentPort` bridge is exercised by the launcher
 * contract: `npm start -- --launcher-contract`.)
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { test } from 'node:test';
import { launcherFixtureEntry } from '../engine/cluster/index.ts';
import { entryMarker, utilityEntry } from './utility-process-launcher.ts';

function run(args: string[]): Promise<{ messages: unknown[]; code: number | null; stderr: string }> {
  // No --import tsx here: the bootstrap must register it by itself, as it does in Electron.
  const child = fork(utilityEntry, args, { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const messages: unknown[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('message', (message) => {
    messages.push(message);
    child.kill('SIGTERM');
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ messages, code, stderr })));
}

test('runs the TypeScript entry named after the marker with the arguments that follow it', async () => {
  const { messages } = await run([entryMarker, launcherFixtureEntry, 'hello', '--data-home', '/tmp/x y']);
  assert.equal(messages.length, 1);
  assert.deepEqual((messages[0] as { args: string[] }).args, ['--data-home', '/tmp/x y']);
});

test('without the marker it exits with code 2 and says what it expected', async () => {
  const { code, stderr, messages } = await run([launcherFixtureEntry, 'hello']);
  assert.equal(code, 2);
  assert.match(stderr, /expected --tessera-entry ENTRY/);
  assert.deepEqual(messages, []);
});
