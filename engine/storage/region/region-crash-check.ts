/**
 * The region crash check shared by region-crash.test.ts (30 cycles) and the long run in
 * bench/storage.bench.ts: SIGKILLs region-crash-writer.ts again and again on one directory,
 * then opens the regions and checks every announced batch.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUntilKilled } from '../../common/index.ts';
import { LocalObjectStore } from '../object-store/index.ts';
import { makeRegionId } from '../region-schema.ts';
import { scanRows, tempDir } from './region-test-fixtures.ts';
import { StorageEngine } from './storage-engine.ts';

const writer = fileURLToPath(new URL('./region-crash-writer.ts', import.meta.url));
/** The writer's regions (region-crash-writer.ts): append mode, then last_row. */
const regions = [makeRegionId(77, 0), makeRegionId(77, 1)];

/** Kills the writer `cycles` times on one directory, then checks every row; exported for the long bench run. */
export async function runRegionCrashCycles(
  cycles: number,
): Promise<{ acked: number; tried: number; ssts: number; manifestVersion: number }> {
  let ssts = 0;
  let manifestVersion = 0;
  const { dir, cleanup } = await tempDir('region-crash');
  try {
    const tried = new Map<string, number>(); // `${region} ${first}` → count
    const acked = new Set<string>();
    for (let cycle = 1; cycle <= cycles; cycle++) {
      await runUntilKilled({
        entry: writer,
        args: [dir, String(cycle)],
        killWindowMs: [10, 400],
        onLine(line) {
          const [kind, region, first, count] = line.split(' ');
          const key = `${region} ${first}`;
          if (kind === 'try') {
            tried.set(key, Number(count));
            return;
          }
          if (kind === 'ack') {
            if (tried.get(key) !== Number(count)) return `ack of an unannounced batch: ${line}`;
            acked.add(key);
            return 'ack';
          }
          return `unexpected line: ${line}`;
        },
      });
    }
    const store = await LocalObjectStore.open(join(dir, 'store'), { fsync: false });
    const engine = await StorageEngine.open({ dataHome: join(dir, 'node'), objectStore: store, autoCompaction: false });
    try {
      for (const regionId of regions) {
        await engine.handle({ type: 'open', regionId });
        const stats = engine.statistics(regionId);
        ssts += stats.sstCount;
        manifestVersion += stats.manifestVersion;
        const ids = (await scanRows(engine, regionId, { projection: ['cpu', 'ts'] })).map((r) => r.cpu as number);
        const seen = new Map<number, number>();
        for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
        for (const [id, times] of seen) assert.equal(times, 1, `region ${regionId}: row ${id} appears ${times} times`);
        for (const [key, count] of tried) {
          const [region, firstText] = key.split(' ');
          if (Number(region) !== regionId) continue;
          const first = Number(firstText);
          let present = 0;
          for (let id = first; id < first + count; id++) if (seen.has(id)) present++;
          if (acked.has(key)) assert.equal(present, count, `acknowledged batch ${key} has ${present} of ${count} rows`);
          else assert.ok(present === 0 || present === count, `batch ${key} is half written: ${present} of ${count}`);
          for (let id = first; id < first + count; id++) seen.delete(id);
        }
        assert.equal(seen.size, 0, `region ${regionId} holds rows nobody wrote: ${[...seen.keys()].slice(0, 5)}`);
      }
    } finally {
      await engine.close();
      await store.close();
    }
    return { acked: acked.size, tried: tried.size, ssts, manifestVersion };
  } finally {
    await cleanup();
  }
}
