/**
 * The PromQL conformance kit (../shared/conformance/promql, Prometheus' own test cases
 * calibrated against Prometheus 2.42) run offline: each case's samples are loaded into a
 * `MemorySeriesSource`, the query is evaluated here, and the kit's own `compareResult` judges
 * the Prometheus API `data` (the HTTP run of the same kit goes through remote write and the
 * server; this one checks the evaluator alone, in seconds). The floor only goes up.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MemorySeriesSource } from './memory-series-source.ts';
import { instantQueryData, rangeQueryData, runPromql } from './run-query.ts';
import { STALE_NAN } from './values.ts';

const KIT_DIR = fileURLToPath(new URL('../../../shared/conformance/promql', import.meta.url));

/** Raise when the evaluator gets better, never lower. */
const MIN_PASSING = 578;

interface KitEval {
  expr: string;
  isRange: boolean;
  fail: boolean;
  timeMs: number;
  startMs: number;
  endMs: number;
  stepMs: number;
}

interface KitCase {
  id: string;
  parseError?: string;
  unsupported?: string;
  eval: KitEval;
  loads: unknown[];
}

interface KitSeries {
  labels: Record<string, string>;
  samples: [number, number, boolean][];
}

test('promql.conformance.offline: Prometheus test cases against the evaluator', async () => {
  assert.ok(existsSync(KIT_DIR), `the PromQL conformance kit is at ${KIT_DIR}`);
  const runner = (await import(pathToFileURL(`${KIT_DIR}/run.mjs`).href)) as {
    loadCases(dir: string): KitCase[];
    compareResult(ev: KitEval, data: unknown): string | null;
  };
  const script = (await import(pathToFileURL(`${KIT_DIR}/lib/promqltest.mjs`).href)) as {
    expandLoads(loads: unknown[]): KitSeries[];
  };
  const cases = runner.loadCases(`${KIT_DIR}/cases`);
  const failures: string[] = [];
  for (const kitCase of cases) {
    if (kitCase.parseError || kitCase.unsupported) {
      failures.push(`${kitCase.id}: not runnable`);
      continue;
    }
    const source = new MemorySeriesSource();
    for (const series of script.expandLoads(kitCase.loads)) {
      const labels: Record<string, string> = {};
      for (const [name, value] of Object.entries(series.labels))
        if (name !== '__name__' && value !== '') labels[name] = value;
      for (const [time, value, stale] of series.samples) {
        source.addSample(series.labels.__name__ ?? '', labels, time, stale ? STALE_NAN : value);
      }
    }
    const ev = kitCase.eval;
    let reason: string | null;
    try {
      const data = ev.isRange
        ? rangeQueryData(
            await runPromql({
              query: ev.expr,
              start: ev.startMs,
              end: ev.endMs,
              step: ev.stepMs,
              database: 'public',
              source,
            }),
          )
        : await instantQueryData({
            query: ev.expr,
            start: ev.timeMs,
            end: ev.timeMs,
            step: 0,
            database: 'public',
            source,
          });
      reason = ev.fail ? 'expected an error' : runner.compareResult(ev, JSON.parse(JSON.stringify(data)));
    } catch (error) {
      reason = ev.fail ? null : `error: ${(error as Error).message}`;
    }
    if (reason !== null) failures.push(`${kitCase.id}: ${ev.expr}: ${reason}`);
  }
  const passing = cases.length - failures.length;
  console.log(`promql conformance (offline): ${passing}/${cases.length}\n${failures.join('\n')}`);
  assert.ok(passing >= MIN_PASSING, `${passing}/${cases.length} pass, the floor is ${MIN_PASSING}`);
});
