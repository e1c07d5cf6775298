import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, open, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger, runUntilKilled } from '../../common/index.ts';
import type { LogFields } from '../../common/index.ts';
import { scanSegment } from './segment-scan.ts';
import { StagedBatch } from './staged-batch.ts';
import { payloadFor, seedOf } from './test-payload.ts';
import { segmentFileName } from './wal-format.ts';
import { Wal } from './wal.ts';

const writerPath = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const cycles = 20;
const regions = [11, 12, 13, 14];

/** What the parent knows from the writers' lines, across all cycles. */
interface Knowledge {
  /** Seed → the region its append was for (every append announced, acknowledged or not). */
  announced: Map<number, number>;
  /** Seed → the entry id its acknowledged append got. */
  acked: Map<number, number>;
  /** Region → the entry id through which it said it flushed. */
  flushed: Map<number, number>;
  /** The highest entry id found at the last reopen: later acks must be above it. */
  maxSeenId: number;
}

/** Runs one writer on `dir`, kills it 20–300 ms after its first ack, and folds its lines into `known`. */
async function runAndKill(dir: string, cycle: number, known: Knowledge): Promise<number> {
  const flushed = JSON.stringify(Object.fromEntries(known.flushed));
  let lastAck = known.maxSeenId;
  const { acks } = await runUntilKilled({
    entry: writerPath,
    args: [dir, String(cycle * 1_000_000 + 1), flushed, String(cycle % 2)],
    onLine: (line) => {
      const [kind, first, second] = line.split(' ');
      if (kind === '!') return `cycle ${cycle}: writer reported: ${line}`;
      if (kind === 'P') {
        known.announced.set(Number(first), Number(second));
      } else if (kind === 'A') {
        const entryId = Number(first);
        // Acks come in entry id order, above everything a previous run left.
        if (entryId <= lastAck) return `cycle ${cycle}: ack of entry ${entryId} after entry ${lastAck}`;
        lastAck = entryId;
        known.acked.set(Number(second), entryId);
        return 'ack';
      } else if (kind === 'F') {
        const region = Number(first);
        known.flushed.set(region, Math.max(known.flushed.get(region) ?? 0, Number(second)));
      }
    },
  });
  return acks;
}

/**
 * What a power cut could add and a SIGKILL cannot: bytes after the last segment's data,
 * either random or the start of a real entry (from a batch that claims everything synced).
 */
async function tearLastSegment(dir: string, cycle: number): Promise<void> {
  const name = (await readdir(dir))
    .filter((file) => file.endsWith('.wal'))
    .sort()
    .at(-1)!;
  const path = join(dir, name);
  const { dataEnd } = scanSegment(await readFile(path), name, { last: true, afterEntryId: 0 });
  let tail: Uint8Array;
  if (cycle % 2 === 0) {
    tail = randomBytes(1 + Math.floor(Math.random() * 500));
  } else {
    const batch = new StagedBatch(Buffer.alloc(64), 2 ** 40, 2 ** 40 - 1);
    batch.add(regions[0], 2 ** 50, payloadFor(1, 300));
    const whole = batch.seal();
    tail = whole.subarray(0, 1 + Math.floor(Math.random() * (whole.length - 1)));
  }
  const file = await open(path, 'r+');
  try {
    await file.write(tail, 0, tail.length, dataEnd);
  } finally {
    await file.close();
  }
}

/** Reopens the WAL and checks it against everything the writers said; returns the warnings it logged. */
async function verify(dir: string, cycle: number, known: Knowledge): Promise<LogFields[]> {
  const lines: LogFields[] = [];
  const logger = createLogger({ role: 'test', sink: (line) => lines.push(JSON.parse(line)) });
  const wal = await Wal.open(dir, { logger, preallocate: false });
  try {
    const seen = new Set<number>();
    let previous = 0;
    for await (const entry of wal.replayRegions(new Map(regions.map((region) => [region, 0])))) {
      assert.ok(entry.entryId > previous, `cycle ${cycle}: entry ${entry.entryId} after ${previous}`);
      previous = entry.entryId;
      const seed = seedOf(entry.payload);
      assert.ok(seed !== undefined, `cycle ${cycle}: entry ${entry.entryId} has a damaged payload`);
      assert.equal(known.announced.get(seed), entry.regionId, `cycle ${cycle}: entry ${entry.entryId} seed ${seed}`);
      const acked = known.acked.get(seed);
      if (acked !== undefined) assert.equal(entry.entryId, acked, `cycle ${cycle}: seed ${seed} moved`);
      seen.add(seed);
    }
    for (const [seed, entryId] of known.acked) {
      const region = known.announced.get(seed)!;
      if (entryId <= (known.flushed.get(region) ?? 0)) continue; // obsolete: may be deleted
      assert.ok(seen.has(seed), `cycle ${cycle}: acknowledged entry ${entryId} (region ${region}) is missing`);
    }
    known.maxSeenId = Math.max(known.maxSeenId, wal.lastEntryId);
  } finally {
    await wal.close();
  }
  return lines;
}

test(`crash safety: ${cycles} SIGKILLs of a busy writer lose no acknowledged entry`, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-wal-crash-'));
  try {
    const known: Knowledge = { announced: new Map(), acked: new Map(), flushed: new Map(), maxSeenId: 0 };
    let acks = 0;
    let tornTails = 0;
    let tornInjected = 0;
    for (let cycle = 0; cycle < cycles; cycle++) {
      acks += await runAndKill(dir, cycle, known);
      if (cycle % 3 === 2) {
        await tearLastSegment(dir, cycle);
        tornInjected++;
      }
      const lines = await verify(dir, cycle, known);
      tornTails += lines.filter((line) => line.event === 'wal.torn-tail').length;
    }
    const firstGone = await access(join(dir, segmentFileName(1))).then(
      () => false,
      () => true,
    );
    t.diagnostic(
      `${acks} acks, ${known.announced.size} appends, ${tornTails} torn tails cut (${tornInjected} injected), ` +
        `${(await readdir(dir)).length} files left, first segment deleted: ${firstGone}`,
    );
    assert.ok(acks > cycles * 20, `${acks} acknowledged appends over ${cycles} cycles`);
    assert.ok(tornTails >= tornInjected, `${tornTails} torn tails were cut`);
    assert.ok(firstGone, 'flushed segments were deleted along the way');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
