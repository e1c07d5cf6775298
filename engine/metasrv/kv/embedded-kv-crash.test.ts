import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { access, appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger, runUntilKilled } from '../../common/index.ts';
import type { LogFields } from '../../common/index.ts';
import { EmbeddedKvBackend, logFileName } from './embedded-kv.ts';
import { encodeBatch } from './kv-log.ts';

const writerPath = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const cycles = 20;

/** What the parent knows of one key from the writer's lines; null means absent. */
interface KeyState {
  /** The last value acknowledged (or found at the last reopen); undefined if nothing was. */
  durable: string | null | undefined;
  /** The value of an operation announced but not acknowledged. */
  pending: string | null | undefined;
}

interface CycleResult {
  acks: number;
  compactions: number;
}

/** Runs one writer on `dir`, kills it 20–300 ms after its first ack, and folds its lines into `keys`. */
async function runAndKill(dir: string, run: string, keys: Map<string, KeyState>): Promise<CycleResult> {
  const { acks, stderr } = await runUntilKilled({
    entry: writerPath,
    args: [dir, run, String(64 * 1024)],
    onLine: (line) => {
      const [marker, op, key, value] = line.split(' ');
      if (marker === '!') return `${run}: writer reported: ${line}`;
      const state = keys.get(key!) ?? { durable: undefined, pending: undefined };
      keys.set(key!, state);
      if (marker === '>') {
        state.pending = op === 'D' ? null : value;
      } else if (marker === '<') {
        state.durable = state.pending;
        state.pending = undefined;
        return 'ack';
      }
    },
  });
  const compactions = stderr.split('\n').filter((line) => line.includes('"kv.compacted"')).length;
  return { acks, compactions };
}

/** Reopens the store and checks every key against what was acknowledged; then records what is there. */
async function verify(dir: string, run: string, keys: Map<string, KeyState>): Promise<LogFields[]> {
  const lines: LogFields[] = [];
  const logger = createLogger({ role: 'test', sink: (line) => lines.push(JSON.parse(line)) });
  const kv = await EmbeddedKvBackend.open(dir, { logger });
  try {
    const decoder = new TextDecoder();
    const stored = new Map((await kv.range('')).map((entry) => [entry.key, decoder.decode(entry.value)]));
    for (const [key, state] of keys) {
      const actual = stored.get(key) ?? null;
      // Absent is allowed for a key never acknowledged; the pending operation may or may not have landed.
      const allowed = [state.durable === undefined ? null : state.durable];
      if (state.pending !== undefined) allowed.push(state.pending);
      assert.ok(
        allowed.includes(actual),
        `${run}: ${key} is ${actual === null ? 'absent' : `${actual.slice(0, 40)}...`}, ` +
          `acknowledged ${state.durable === null ? 'absent' : String(state.durable).slice(0, 40)}`,
      );
      state.durable = actual;
      state.pending = undefined;
    }
    for (const key of stored.keys()) assert.ok(keys.has(key), `${run}: ${key} was never written`);
  } finally {
    await kv.close();
  }
  return lines;
}

test(`crash safety: ${cycles} SIGKILLs of a busy writer lose no acknowledged write`, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-kv-crash-'));
  try {
    const keys = new Map<string, KeyState>();
    let acks = 0;
    let compactions = 0;
    let tornTails = 0;
    let cutMidCompaction = 0;
    for (let cycle = 0; cycle < cycles; cycle++) {
      const run = `run${cycle}`;
      const result = await runAndKill(dir, run, keys);
      acks += result.acks;
      compactions += result.compactions;
      // A SIGKILL cannot tear a write() already made, so every third cycle adds what a power
      // cut would leave: part of an unsynced record, or garbage.
      if (cycle % 3 === 2) {
        const record = encodeBatch([{ key: `torn/${cycle}`, value: randomBytes(100) }], 1e9);
        const tail =
          cycle % 2 === 0
            ? record.subarray(0, 1 + Math.floor(Math.random() * (record.length - 1)))
            : randomBytes(1 + Math.floor(Math.random() * 50));
        await appendFile(join(dir, logFileName), tail);
      }
      if (
        await access(join(dir, 'kv.log.compacting')).then(
          () => true,
          () => false,
        )
      )
        cutMidCompaction++;
      const lines = await verify(dir, run, keys);
      tornTails += lines.filter((line) => line.event === 'kv.torn-tail').length;
    }
    t.diagnostic(
      `${acks} acks, ${keys.size} keys, ${compactions} compactions, ${cutMidCompaction} kills mid-compaction, ${tornTails} torn tails cut`,
    );
    assert.ok(acks > cycles * 10, `${acks} acknowledged writes over ${cycles} cycles`);
    assert.ok(compactions > 0, 'compaction ran during the test');
    assert.ok(tornTails >= Math.floor(cycles / 3), `${tornTails} torn tails were cut`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
