/**
 * Turning a result into time series for the chart: the first time column is x, string
 * columns are tags (one series per tag combination), numeric columns are fields (one line
 * each). Points are aligned on the union of timestamps, gaps left as null.
 */
import type { Table } from 'apache-arrow';
import { columnViews } from './arrow-values.ts';

export interface ChartData {
  x: Float64Array;
  series: { label: string; values: (number | null)[] }[];
  timeColumn: string;
  truncated: boolean;
}

const maxRows = 200_000;
const maxSeries = 40;

export function chartData(table: Table): ChartData | undefined {
  const columns = columnViews(table);
  const time = columns.find((c) => c.kind === 'time');
  if (!time) return undefined;
  // `__name__` (PromQL results) names the metric, not a series.
  const tags = columns.filter((c) => c.kind === 'text' && c.name !== '__name__');
  const fields = columns.filter((c) => c.kind === 'number');
  if (fields.length === 0) return undefined;
  const rows = Math.min(table.numRows, maxRows);
  const times = new Float64Array(rows);
  for (let i = 0; i < rows; i++) times[i] = Number(time.vector.get(i)) / 1000;
  const x = Float64Array.from(new Set(times)).sort();
  const slot = new Map<number, number>();
  x.forEach((t, i) => slot.set(t, i));
  const byKey = new Map<string, (number | null)[]>();
  let truncated = table.numRows > maxRows;
  for (let i = 0; i < rows; i++) {
    const tagText = tags.map((t) => `${t.name}=${String(t.vector.get(i))}`).join(', ');
    for (const field of fields) {
      const key = tags.length === 0 ? field.name : fields.length === 1 ? tagText : `${field.name} {${tagText}}`;
      let values = byKey.get(key);
      if (!values) {
        if (byKey.size >= maxSeries) {
          truncated = true;
          continue;
        }
        values = new Array<number | null>(x.length).fill(null);
        byKey.set(key, values);
      }
      const value: unknown = field.vector.get(i);
      values[slot.get(times[i]!)!] = value === null || value === undefined ? null : Number(value);
    }
  }
  return {
    x,
    series: [...byKey].map(([label, values]) => ({ label, values })),
    timeColumn: time.name,
    truncated,
  };
}
