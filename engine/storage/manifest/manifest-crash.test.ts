// Crash safety of the manifest: child processes (crash-editor.ts) commit edits with a small
// checkpoint interval, so a third of the edits also write a checkpoint, move the pointer and
// delete old files; the parent SIGKILLs them at random moments and, after each kill, reopens
// the manifest: it must hold exactly the state after the last acknowledged edit, or after one
// more (committed, killed before the ack could be printed), never anything else.
//
// Purely random kills rarely land in the short checkpoint and cleanup steps, so most cycles aim:
// the child announces each write and delete, and the parent kills 0–3 ms after the announcement
// of a chosen kind (a delta, a checkpoint, the pointer, a deletion; after 0–8 edits, skipping
// a random 0–2 of them), which lands before, during or after that operation. Two regions start
// with a kill aimed at `create` (0–6 ms after its first or second write).
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LocalObjectStore } from '../object-store/index.ts';
import { classifyManifestFile } from './manifest-layout.ts';
import { testStateAt } from './manifest-test-fixtures.ts';
import { RegionManifestManager } from './region-manifest-manager.ts';

const editorPath = fileURLToPath(new URL('./crash-editor.ts', import.meta.url));
/** What a cycle aims its kill at: a random moment, or an operation of the child's manifest. */
type KillAim = 'random' | 'delta' | 'checkpoint' | 'pointer' | 'delete' | 'create';
const aims: KillAim[] = ['checkpoint', 'pointer', 'delete', 'random', 'delta', 'pointer', 'delete', 'checkpoint'];

/** Does an announced operation (`W <path>` or `D <path>`) match the aim? */
function aimedAt(aim: KillAim, kind: string, path: string): boolean {
  switch (aim) {
    case 'delta':
      return kind === 'W' && /\/\d{20}\.json$/.test(path);
    case 'checkpoint':
      return kind === 'W' && path.endsWith('.checkpoint.json');
    case 'pointer':
      return kind === 'W' && path.endsWith('/_last_checkpoint');
    case 'delete':
      return kind === 'D';
    default:
      return false;
  }
}

/** Regions edited at once, each by its own child; cycles per region. 4 × 6 = 24 kills. */
const lanes = 4;
const cyclesPerLane = 6;
const checkpointInterval = 3;

/** What the kills left behind, across all cycles. */
interface Tally {
  kills: number;
  acks: number;
  /** Reopened one version past the last ack: committed, not acknowledged. */
  unacknowledged: number;
  /** Reopened with the pointer behind the newest checkpoint: killed between checkpoint and pointer. */
  stalePointers: number;
  /** Reopened with deltas or checkpoints below the pointer's checkpoint: killed during cleanup. */
  interruptedCleanups: number;
  /** Killed before create finished, leaving no manifest. */
  noManifest: number;
}

/**
 * Runs one child on `regionDir` and kills it: for `create`, 0–6 ms after the create's first or second write;
 * for `random`, 0–120 ms after it opened; otherwise just after an announced operation of
 * the aimed kind (and 150 ms after opening if none came). Returns the last acknowledged version
 * (-1 when nothing was acknowledged, not even the create).
 */
async function runAndKill(
  storeDir: string,
  regionDir: string,
  lastKnown: number,
  aim: KillAim,
  label: string,
): Promise<{ acked: number; acks: number }> {
  const child = fork(editorPath, [storeDir, regionDir, String(checkpointInterval)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let acked = -1;
  let acks = 0;
  let stderr = '';
  let buffered = '';
  let failure: string | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const killAfter = (ms: number): void => {
    clearTimeout(killTimer);
    killTimer = setTimeout(() => child.kill('SIGKILL'), ms);
  };
  let opened = false;
  let aimed = false;
  // Let 0–8 edits through first, then skip 0–2 aimed operations: kills land at varied versions.
  const editsFirst = Math.floor(Math.random() * 9);
  let skip = Math.floor(Math.random() * 3);
  let createWrites = Math.floor(Math.random() * 2);
  const stuckTimer = setTimeout(() => {
    failure ??= 'the editor said nothing for 20 s';
    child.kill('SIGKILL');
  }, 20_000);

  const onLine = (line: string): void => {
    const [kind, value] = line.split(' ');
    if (kind === '!') {
      failure ??= `editor reported: ${line}`;
    } else if (kind === 'W' && aim === 'create' && !aimed) {
      // The create writes checkpoint 0, then the pointer: aim at either.
      if (createWrites-- === 0) {
        aimed = true;
        killAfter(Math.random() * 6);
      }
    } else if (kind === 'O') {
      const version = Number(value);
      // The child must open exactly where the parent's own reopen found the manifest.
      if (version !== Math.max(lastKnown, 0)) failure ??= `editor opened at version ${version}, expected ${lastKnown}`;
      acked = version;
      opened = true;
      if (aim === 'random') killAfter(Math.random() * 120);
      else if (aim !== 'create') killAfter(400); // in case the aimed operation never comes
    } else if ((kind === 'W' || kind === 'D') && opened && acks >= editsFirst && !aimed && aimedAt(aim, kind, value!)) {
      if (skip-- === 0) {
        aimed = true;
        killAfter(Math.random() * 3);
      }
    } else if (kind === 'A') {
      const version = Number(value);
      if (version !== acked + 1) failure ??= `ack of version ${version} after ${acked}`;
      acked = version;
      acks++;
    }
  };
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!; // a line cut by the kill has no newline: not an ack
    for (const line of lines) if (line.length > 0) onLine(line);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearTimeout(stuckTimer);
  clearTimeout(killTimer);
  await Promise.all([
    new Promise((resolve) => (child.stdout!.readableEnded ? resolve(undefined) : child.stdout!.once('end', resolve))),
    new Promise((resolve) => (child.stderr!.readableEnded ? resolve(undefined) : child.stderr!.once('end', resolve))),
  ]);
  if (failure !== undefined) assert.fail(`${label}: ${failure}\n${stderr.slice(-3000)}`);
  assert.equal(signal, 'SIGKILL', `${label}: editor exited by itself (code ${code})\n${stderr.slice(-3000)}`);
  return { acked, acks };
}

/** Reopens the region and checks it against the last ack; returns the version it holds (-1: no manifest). */
async function verify(
  store: LocalObjectStore,
  regionDir: string,
  acked: number,
  label: string,
  tally: Tally,
): Promise<number> {
  if (!(await RegionManifestManager.exists(store, regionDir))) {
    assert.equal(acked, -1, `${label}: the manifest is gone after version ${acked} was acknowledged`);
    tally.noManifest++;
    return -1;
  }
  const manifestDir = `${regionDir}/manifest`;
  const listed = (await store.list(`${manifestDir}/`)).map((entry) => classifyManifestFile(manifestDir, entry.path));
  const manager = await RegionManifestManager.open(store, regionDir);
  const version = manager.state.version;
  assert.ok(
    version === acked || version === acked + 1,
    `${label}: reopened at version ${version}, but the last acknowledged version is ${acked}`,
  );
  assert.deepEqual(manager.state, testStateAt(version), `${label}: the state at version ${version} differs`);
  if (version === acked + 1) tally.unacknowledged++;

  const newestCheckpoint = Math.max(...listed.map((file) => (file.kind === 'checkpoint' ? file.version : -1)));
  const base = manager.lastCheckpointVersion;
  if (newestCheckpoint > base) tally.stalePointers++;
  if (
    listed.some(
      (file) => (file.kind === 'delta' && file.version <= base) || (file.kind === 'checkpoint' && file.version < base),
    )
  ) {
    tally.interruptedCleanups++;
  }
  await manager.close();
  return version;
}

test(`crash safety: ${lanes * cyclesPerLane} SIGKILLs around edits, checkpoints and cleanups`, async (t) => {
  const storeDir = await mkdtemp(join(tmpdir(), 'tessera-manifest-crash-'));
  const store = await LocalObjectStore.open(storeDir);
  const tally: Tally = {
    kills: 0,
    acks: 0,
    unacknowledged: 0,
    stalePointers: 0,
    interruptedCleanups: 0,
    noManifest: 0,
  };
  try {
    const finalVersions = await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        const regionDir = `regions/${lane}`;
        let known = -1;
        for (let cycle = 0; cycle < cyclesPerLane; cycle++) {
          const label = `region ${lane} cycle ${cycle}`;
          // Lanes 0 and 1 start by killing the create; later cycles aim at the steps of edits.
          const aim: KillAim = known === -1 && lane < 2 && cycle < 2 ? 'create' : aims[(lane + cycle) % aims.length]!;
          const { acked, acks } = await runAndKill(storeDir, regionDir, known, aim, `${label} (${aim})`);
          tally.kills++;
          tally.acks += acks;
          known = await verify(store, regionDir, acked, label, tally);
        }
        return known;
      }),
    );
    t.diagnostic(
      `${tally.kills} kills, ${tally.acks} acknowledged edits, final versions ${finalVersions.join(', ')}; ` +
        `reopened one past the ack ${tally.unacknowledged}×, with a stale pointer ${tally.stalePointers}×, ` +
        `after an interrupted cleanup ${tally.interruptedCleanups}×, with no manifest ${tally.noManifest}×`,
    );
    // Loose floors (typical runs see 100–180 edits, final versions 20–60): the checks that
    // matter are in verify; these only catch a run that did too little to mean anything.
    assert.ok(tally.acks > tally.kills * 2, `only ${tally.acks} edits were acknowledged over ${tally.kills} kills`);
    const total = finalVersions.reduce((sum, version) => sum + version, 0);
    assert.ok(total > lanes * 2 * checkpointInterval, `the regions reached only versions ${finalVersions.join(', ')}`);
  } finally {
    await store.close();
    await rm(storeDir, { recursive: true, force: true });
  }
});
