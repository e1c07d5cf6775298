/**
 * The embedded metadata store's hot paths: durable puts (one at a time, and many at once
 * sharing fsyncs through group commit), prefix ranges, and reopening (log replay).
 *
 *   node --import tsx bench/kv.bench.ts
 *
 * Numbers depend on the disk's fsync latency more than on the CPU.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createLogger } from '../engine/common/index.ts';
import { EmbeddedKvBackend } from '../engine/metasrv/index.ts';
import type { BenchResult } from './bench-result.ts';

/** One measured case: what was done, how many operations, and how long it took. */
export interface KvBenchResult {
  name: string;
  operations: number;
  ms: number;
}

/** Runs every case in a temp directory and returns the results. */
export async function runKvBench(): Promise<KvBenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-kv-bench-'));
  const logger = createLogger({ role: 'bench', level: 'warn' });
  const value = new Uint8Array(256).fill(7);
  const results: KvBenchResult[] = [];
  const measure = async (name: string, operations: number, run: () => Promise<void>): Promise<void> => {
    const start = performance.now();
    await run();
    results.push({ name, operations, ms: performance.now() - start });
  };
  try {
    let kv = await EmbeddedKvBackend.open(dir, { logger });
    await measure('put, one at a time (fsync each)', 500, async () => {
      for (let i = 0; i < 500; i++) await kv.put(`seq/${i}`, value);
    });
    await measure('put, 20 000 concurrent (group commit)', 20_000, async () => {
      await Promise.all(Array.from({ length: 20_000 }, (_, i) => kv.put(`table/${i % 100}/region/${i}`, value)));
    });
    await measure('range of 200 keys under a prefix, x1000', 1000, async () => {
      for (let i = 0; i < 1000; i++) await kv.range(`table/${i % 100}/`);
    });
    await measure('get, x100 000', 100_000, async () => {
      for (let i = 0; i < 100_000; i++) await kv.get(`table/${i % 100}/region/${i % 20_000}`);
    });
    await kv.close();
    await measure('reopen (replay 20 500 records)', 20_500, async () => {
      kv = await EmbeddedKvBackend.open(dir, { logger });
    });
    await kv.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { name, operations, ms } of await runKvBench()) {
    const perSecond = Math.round((operations / ms) * 1000);
    console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms  ${String(perSecond).padStart(9)} ops/s`);
  }
}

/** The `npm run bench` entry (see bench/run.ts): each case as operations per second. */
export async function run(): Promise<BenchResult[]> {
  return (await runKvBench()).map(({ name, operations, ms }) => ({
    name,
    value: (operations / ms) * 1000,
    unit: 'ops/s',
    note: `${operations} operations in ${ms.toFixed(1)} ms`,
  }));
}
