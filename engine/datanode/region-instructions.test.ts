import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { StorageEngine, openObjectStore } from '../storage/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { RegionInstructions } from './region-instructions.ts';

const regionId = 1024 * 2 ** 32;
const missing = 1025 * 2 ** 32;
const schema = {
  version: 1,
  columns: [
    { name: 'host', type: { kind: 'string' as const }, semantic: 'tag' as const, nullable: true, columnId: 1 },
    {
      name: 'ts',
      type: { kind: 'timestamp' as const, unit: 'ms' as const },
      semantic: 'timestamp' as const,
      nullable: false,
      columnId: 2,
    },
  ],
};

let dir: string;
let store: ObjectStore;
let engine: StorageEngine;
const events: { level: string; event: string; regionId?: number }[] = [];
const logger = createLogger({
  role: 'test',
  level: 'info',
  sink: (line) => events.push(JSON.parse(line) as (typeof events)[number]),
});

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-region-instructions-'));
  store = await openObjectStore(join(dir, 'object-store'), { logger });
  engine = await StorageEngine.open({ dataHome: dir, objectStore: store, sstWorkers: false, logger });
  await engine.handle({ type: 'create', regionId, schema });
  await engine.handle({ type: 'close', regionId });
});

after(async () => {
  await engine?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

test('opens and closes regions in the background, once per instruction, logging each', async () => {
  const instructions = new RegionInstructions({ engine, logger: () => logger });
  instructions.submit([{ type: 'open', regionId }]);
  instructions.submit([{ type: 'open', regionId }]);
  await instructions.idle();
  assert.deepEqual(engine.regionIds(), [regionId]);
  assert.equal(events.filter((e) => e.event === 'region.opened-by-metasrv').length, 1);
  // Already open: nothing to do, nothing logged.
  instructions.submit([{ type: 'open', regionId }]);
  await instructions.idle();
  assert.equal(events.filter((e) => e.event === 'region.opened-by-metasrv').length, 1);

  instructions.submit([{ type: 'close', regionId }]);
  await instructions.idle();
  assert.deepEqual(engine.regionIds(), []);
  assert.equal(events.filter((e) => e.event === 'region.closed-by-metasrv').length, 1);
});

test('a later instruction for the region replaces one still queued', async () => {
  const instructions = new RegionInstructions({ engine, logger: () => logger });
  // The first open runs at once; the second region's open is queued, then replaced by a close.
  instructions.submit([
    { type: 'open', regionId: missing },
    { type: 'open', regionId },
  ]);
  instructions.submit([{ type: 'close', regionId }]);
  await instructions.idle();
  assert.deepEqual(engine.regionIds(), []);
});

test('a failed instruction is logged, not thrown, and not retried until a while later', async () => {
  let now = 1_000_000;
  const instructions = new RegionInstructions({ engine, logger: () => logger, retryAfterMs: 5000, now: () => now });
  const failures = () => events.filter((e) => e.event === 'region.open-by-metasrv-failed' && e.regionId === missing);
  const before = failures().length;
  instructions.submit([{ type: 'open', regionId: missing }]);
  await instructions.idle();
  assert.equal(failures().length, before + 1);
  assert.equal(failures().at(-1)!.level, 'info', 'a region not created (yet) is not a warning');
  now += 1000;
  instructions.submit([{ type: 'open', regionId: missing }]);
  await instructions.idle();
  assert.equal(failures().length, before + 1, 'held back');
  now += 5000;
  instructions.submit([{ type: 'open', regionId: missing }]);
  await instructions.idle();
  assert.equal(failures().length, before + 2, 'tried again');
});

test('a stopped runner takes no more instructions', async () => {
  const instructions = new RegionInstructions({ engine, logger: () => logger });
  await instructions.stop();
  instructions.submit([{ type: 'open', regionId }]);
  await instructions.idle();
  assert.deepEqual(engine.regionIds(), []);
});
