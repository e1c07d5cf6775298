/**
 * An in-memory `SeriesSource` for tests and tools: metric tables held as series of samples in
 * typed arrays (so staleness markers keep their bits). Every table has the Prometheus layout
 * (`greptime_timestamp`, `greptime_value`) unless given field names.
 */
import type { FieldInfo, SeriesRequest, SeriesSource, TableSeries } from './series-source.ts';
import { Float64Builder } from './values.ts';
import type { Labels } from './values.ts';

interface MemorySeries {
  labels: Labels;
  timestamps: Float64Builder;
  values: Float64Builder[];
}

interface MemoryMetric {
  tags: string[];
  fields: FieldInfo[];
  series: Map<string, MemorySeries>;
}

/** Metric tables in memory, keyed by database and name. */
export class MemorySeriesSource implements SeriesSource {
  private readonly metrics = new Map<string, MemoryMetric>();

  /**
   * Adds one sample (`values`: one per field) at `timestamp` ms. Samples of a series must come
   * in time order; one at the time of the last replaces it.
   */
  addSample(
    metric: string,
    labels: Labels,
    timestamp: number,
    values: number | number[],
    database = 'public',
    fields?: string[],
  ): this {
    const key = `${database}.${metric}`;
    // A lone value is not wrapped in an array: that could rewrite a staleness marker's NaN bits.
    const fieldCount = Array.isArray(values) ? values.length : 1;
    const valueAt = (i: number) => (Array.isArray(values) ? values[i] : values);
    let table = this.metrics.get(key);
    if (!table) {
      const names =
        fields ?? (fieldCount === 1 ? ['greptime_value'] : Array.from({ length: fieldCount }, (_, i) => `field_${i}`));
      table = { tags: [], fields: names.map((name) => ({ name, dataType: 'Float64' })), series: new Map() };
      this.metrics.set(key, table);
    }
    for (const name of Object.keys(labels)) if (!table.tags.includes(name)) table.tags.push(name);
    const seriesKey = JSON.stringify(Object.entries(labels).sort());
    let series = table.series.get(seriesKey);
    if (!series) {
      series = { labels, timestamps: new Float64Builder(), values: table.fields.map(() => new Float64Builder()) };
      table.series.set(seriesKey, series);
    }
    const last = series.timestamps.length - 1;
    if (last >= 0 && series.timestamps.get(last) > timestamp) {
      throw new Error(`samples of ${metric} must be added in time order`);
    }
    if (last >= 0 && series.timestamps.get(last) === timestamp) {
      for (let i = 0; i < fieldCount; i++) series.values[i].set(last, valueAt(i));
      return this;
    }
    series.timestamps.push(timestamp);
    for (let i = 0; i < fieldCount; i++) series.values[i].push(valueAt(i));
    return this;
  }

  /** Metric names of a database. */
  async tableNames(database: string): Promise<string[]> {
    const prefix = `${database}.`;
    return [...this.metrics.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  }

  async fetch(request: SeriesRequest): Promise<TableSeries | null> {
    const table = this.metrics.get(`${request.database}.${request.table}`);
    if (!table) return null;
    return {
      table: request.table,
      timeIndex: 'greptime_timestamp',
      timeType: 'TimestampMillisecond',
      tags: [...table.tags],
      fields: table.fields,
      columns: [...table.tags, 'greptime_timestamp', ...table.fields.map((f) => f.name)],
      series: [...table.series.values()].map((s) => ({
        labels: { ...s.labels },
        fields: table.fields.map((_, i) => ({
          timestamps: s.timestamps.finish().slice(),
          values: s.values[i].finish().slice(),
        })),
      })),
    };
  }
}
