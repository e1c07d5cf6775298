/**
 * The PromQL evaluator's `SeriesSource` over tables (engine/promql owns the interface): a
 * metric is a table, its tags the labels, its time index the sample time and its numeric
 * fields the values. Tag equality matchers and the time range go down as scan filters; the
 * evaluator applies every matcher again. Rows are grouped into series with one typed array
 * per field.
 */
import { batchColumns, col, fromArrowType, isNumeric, lit } from '../../query/index.ts';
import type { PlanExpr, SqlType, TableProvider } from '../../query/index.ts';
import { Float64Builder } from '../../promql/index.ts';
import type { SeriesRequest, SeriesSource, TableSeries, TableSeriesData } from '../../promql/index.ts';
import type { TableName } from '../../rpc/index.ts';
import { greptimeTypeName } from './greptime-types.ts';
import { defaultCatalog } from './table-catalog.ts';

/** Ticks of a timestamp type per millisecond. */
export function ticksPerMillisecond(type: SqlType | string): number {
  if (type.includes('Second,') || type === 'TimestampSecond') return 1 / 1000;
  if (type.includes('Microsecond')) return 1000;
  if (type.includes('Nanosecond')) return 1_000_000;
  return 1;
}

/** One series being collected; typed arrays so staleness markers keep their NaN bits. */
interface Building {
  labels: Record<string, string>;
  timestamps: Float64Builder[];
  values: Float64Builder[];
}

/** Reads metric tables through `loadTable` (the SQL handler's table lookup). */
export class TableSeriesSource implements SeriesSource {
  private readonly loadTable: (name: TableName) => Promise<TableProvider | undefined>;

  constructor(loadTable: (name: TableName) => Promise<TableProvider | undefined>) {
    this.loadTable = loadTable;
  }

  async fetch(request: SeriesRequest): Promise<TableSeries | null> {
    const provider = await this.loadTable({ catalog: defaultCatalog, schema: request.database, name: request.table });
    if (provider === undefined || provider.schema.timeIndex === null) return null;
    const { arrow, timeIndex, tags } = provider.schema;
    const fieldIndices: number[] = [];
    arrow.fields.forEach((field, i) => {
      if (field.name !== timeIndex && !tags.includes(field.name) && isNumeric(fromArrowType(field.type)))
        fieldIndices.push(i);
    });
    const timeIndexAt = arrow.fields.findIndex((field) => field.name === timeIndex);
    const timeSqlType = fromArrowType(arrow.fields[timeIndexAt].type);
    const perMs = ticksPerMillisecond(timeSqlType);
    const tagIndices = tags.map((tag) => arrow.fields.findIndex((field) => field.name === tag));
    const filters: PlanExpr[] = [];
    for (const matcher of request.matchers) {
      if (matcher.op === '=' && tags.includes(matcher.name) && matcher.value !== '') {
        filters.push({ kind: 'binary', op: '=', left: col(matcher.name), right: lit(matcher.value, 'Utf8') });
      }
    }
    if (Number.isFinite(request.start)) {
      filters.push({
        kind: 'binary',
        op: '>=',
        left: col(timeIndex),
        right: lit(Math.floor(request.start * perMs), timeSqlType),
      });
    }
    if (Number.isFinite(request.end)) {
      filters.push({
        kind: 'binary',
        op: '<=',
        left: col(timeIndex),
        right: lit(Math.ceil(request.end * perMs), timeSqlType),
      });
    }
    const projection = [...tagIndices, timeIndexAt, ...fieldIndices];
    const bySeries = new Map<string, Building>();
    for await (const batch of provider.scan({ projection, filters, limit: null })) {
      const chunk = batchColumns(batch);
      const tagColumns = chunk.columns.slice(0, tags.length);
      const time = chunk.columns[tags.length];
      const times = time.values as Float64Array;
      const fieldColumns = chunk.columns.slice(tags.length + 1);
      for (let row = 0; row < chunk.length; row++) {
        if (time.valid !== null && time.valid[row] === 0) continue;
        let key = '';
        for (const column of tagColumns) {
          const value =
            column.valid !== null && column.valid[row] === 0 ? '' : String((column.values as string[])[row]);
          key += `${value}\u0000`;
        }
        let series = bySeries.get(key);
        if (series === undefined) {
          const labels: Record<string, string> = {};
          tagColumns.forEach((column, i) => {
            const value =
              column.valid !== null && column.valid[row] === 0 ? '' : String((column.values as string[])[row]);
            if (value !== '') labels[tags[i]] = value;
          });
          series = {
            labels,
            timestamps: fieldColumns.map(() => new Float64Builder()),
            values: fieldColumns.map(() => new Float64Builder()),
          };
          bySeries.set(key, series);
        }
        const ms = times[row] / perMs;
        for (let f = 0; f < fieldColumns.length; f++) {
          const column = fieldColumns[f];
          if (column.valid !== null && column.valid[row] === 0) continue;
          series.timestamps[f].push(ms);
          series.values[f].push((column.values as Float64Array)[row]);
        }
      }
    }
    const series: TableSeriesData[] = [];
    for (const building of bySeries.values()) {
      series.push({
        labels: building.labels,
        fields: building.timestamps.map((timestamps, f) =>
          sortedSamples(timestamps.finish(), building.values[f].finish()),
        ),
      });
    }
    return {
      table: request.table,
      timeIndex,
      timeType: greptimeTypeName(arrow.fields[timeIndexAt]),
      tags: [...tags],
      fields: fieldIndices.map((i) => ({ name: arrow.fields[i].name, dataType: greptimeTypeName(arrow.fields[i]) })),
      columns: arrow.fields.map((field) => field.name),
      series,
    };
  }
}

/** Samples ascending by time (a later duplicate timestamp wins). */
function sortedSamples(
  timestamps: Float64Array,
  values: Float64Array,
): { timestamps: Float64Array; values: Float64Array } {
  let sorted = true;
  for (let i = 1; i < timestamps.length; i++) {
    if (timestamps[i] <= timestamps[i - 1]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return { timestamps, values };
  const order = Array.from(timestamps, (_, i) => i).sort((a, b) => timestamps[a] - timestamps[b] || a - b);
  const ts = new Float64Builder();
  const vs = new Float64Builder();
  for (const i of order) {
    if (ts.length > 0 && ts.get(ts.length - 1) === timestamps[i]) {
      vs.set(vs.length - 1, values[i]);
      continue;
    }
    ts.push(timestamps[i]);
    vs.push(values[i]);
  }
  return { timestamps: ts.finish(), values: vs.finish() };
}
