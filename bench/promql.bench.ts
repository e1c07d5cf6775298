/**
 * The PromQL evaluator's hot paths over an in-memory source (no scans): a range query of
 * `sum by (job) (rate(x[5m]))` and of a plain selector over 1,000 series × 6 hours at 15 s
 * (1.44 M samples), step 60 s. Figures are samples read per second of evaluation.
 */
import { performance } from 'node:perf_hooks';
import { MemorySeriesSource, runPromql } from '../engine/promql/index.ts';
import type { BenchResult } from './bench-result.ts';

const seriesCount = 1000;
const hours = 6;
const scrapeMs = 15_000;

export async function run(): Promise<BenchResult[]> {
  const source = new MemorySeriesSource();
  const samples = (hours * 3_600_000) / scrapeMs;
  for (let s = 0; s < seriesCount; s++) {
    const labels = { job: `job${s % 10}`, instance: `i${s}` };
    let value = 0;
    for (let i = 0; i < samples; i++) {
      value += (s % 7) + 1;
      source.addSample('x', labels, i * scrapeMs, value);
    }
  }
  const total = seriesCount * samples;
  const results: BenchResult[] = [];
  for (const query of ['sum by (job) (rate(x[5m]))', 'x', 'max_over_time(x[10m:1m])']) {
    // One warm-up, then the measured run.
    const range = { query, start: 0, end: hours * 3_600_000, step: 60_000, database: 'public', source };
    await runPromql(range);
    const started = performance.now();
    await runPromql(range);
    const seconds = (performance.now() - started) / 1000;
    results.push({
      name: `range query ${query}`,
      value: Math.round(total / seconds),
      unit: 'samples/s',
      note: `${seriesCount} series × ${samples} samples, ${hours * 60 + 1} steps`,
    });
  }
  return results;
}
