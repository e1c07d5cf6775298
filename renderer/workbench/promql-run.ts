/**
 * A PromQL range query through the Prometheus API, its matrix turned into one Arrow table:
 * a `ts` time column, a `value` field and one string column per label, so the same grid and
 * chart show it (series are split by the label columns).
 */
import { Table } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { float64Vector, timestampMsVector, utf8Vector } from '../shared/arrow-build.ts';
import { prometheusGet } from '../shared/greptime-http.ts';
import type { Endpoint, StatementResult } from '../shared/greptime-http.ts';
import type { PromRange } from './tabs-store.ts';

interface MatrixSeries {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

export function resolveRange(range: PromRange, now = Date.now() / 1000): { start: number; end: number; step: number } {
  const end = range.end ?? now;
  const start = range.start ?? end - range.lastSeconds;
  const step = range.step > 0 ? range.step : Math.max(1, Math.round((end - start) / 250));
  return { start, end, step };
}

export async function runPromQuery(
  endpoint: Endpoint,
  query: string,
  database: string,
  range: PromRange,
  signal: AbortSignal,
): Promise<StatementResult> {
  const startedAt = performance.now();
  const elapsed = (): number => Math.round(performance.now() - startedAt);
  const { start, end, step } = resolveRange(range);
  try {
    const data = await prometheusGet<{ resultType: string; result: MatrixSeries[] }>(
      endpoint,
      'query_range',
      { query, start: String(start), end: String(end), step: String(step) },
      database,
      signal,
    );
    return { kind: 'table', ...matrixTable(data.result), elapsedMs: elapsed() };
  } catch (error) {
    if (signal.aborted) return { kind: 'error', code: 0, message: 'Cancelled', elapsedMs: elapsed() };
    return {
      kind: 'error',
      code: 0,
      message: error instanceof Error ? error.message : String(error),
      elapsedMs: elapsed(),
    };
  }
}

function matrixTable(series: MatrixSeries[]): { table: Table; columnTypes: string[] } {
  const labels = [...new Set(series.flatMap((s) => Object.keys(s.metric)))].sort();
  const ts: number[] = [];
  const values: number[] = [];
  const labelValues: (string | null)[][] = labels.map(() => []);
  for (const s of series) {
    const points = s.values ?? (s.value ? [s.value] : []);
    for (const [time, value] of points) {
      ts.push(time * 1000);
      values.push(Number(value));
      labels.forEach((label, i) => labelValues[i]!.push(s.metric[label] ?? null));
    }
  }
  const columns: Record<string, Vector> = {};
  labels.forEach((label, i) => {
    columns[label] = utf8Vector(labelValues[i]!);
  });
  columns.ts = timestampMsVector(ts);
  columns.value = float64Vector(values);
  const table = new Table(columns);
  return { table, columnTypes: table.schema.fields.map((f) => String(f.type)) };
}
