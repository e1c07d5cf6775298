/**
 * OpenTSDB's HTTP `/api/put` body → `TableRowsSet`, as GreptimeDB stores it: the metric is the
 * table, tags are tag columns, `greptime_timestamp` (ms) and `greptime_value` (Float64). The
 * body is one data point or an array of them:
 *
 *   { "metric": "sys.cpu.nice", "timestamp": 1346846400, "value": 18, "tags": { "host": "web01" } }
 *
 * A timestamp of fewer than 13 digits is in seconds, otherwise milliseconds (GreptimeDB's rule).
 * Any invalid point rejects the whole body, naming its position (from 1).
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { setWordsFromNumber } from './int64-words.ts';
import { greptimeValue } from './remote-write.ts';
import { TableRowsSet } from './table-rows.ts';

export interface OpentsdbLimits {
  maxPoints: number;
}

function invalid(index: number, message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Invalid OpenTSDB data point ${index}: ${message}`);
}

export function decodeOpentsdbPut(body: Uint8Array, limits: OpentsdbLimits): TableRowsSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Invalid OpenTSDB JSON request: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const points = Array.isArray(parsed) ? parsed : [parsed];
  if (points.length > limits.maxPoints) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Request has more than ${limits.maxPoints} data points (the limit per request); split it`,
    );
  }
  const set = new TableRowsSet('greptime_timestamp', 'ms', 'data point');
  const valueName = Buffer.from(greptimeValue);
  points.forEach((point: unknown, i) => {
    const index = i + 1;
    if (typeof point !== 'object' || point === null || Array.isArray(point)) invalidPoint(index, 'not an object');
    const { metric, timestamp, value, tags } = point as Record<string, unknown>;
    if (typeof metric !== 'string' || metric === '') throw invalid(index, 'missing field `metric`');
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp)) {
      throw invalid(index, 'field `timestamp` must be an integer');
    }
    if (typeof value !== 'number') throw invalid(index, 'field `value` must be a number');
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
      throw invalid(index, 'missing field `tags` (an object)');
    }
    const metricBytes = Buffer.from(metric, 'utf8');
    const table = set.table(metricBytes, 0, metricBytes.length, index);
    const row = table.beginRow();
    for (const [key, tagValue] of Object.entries(tags as Record<string, unknown>)) {
      if (typeof tagValue !== 'string') throw invalid(index, `tag ${key} must be a string`);
      if (key === '') throw invalid(index, 'empty tag name');
      const keyBytes = Buffer.from(key, 'utf8');
      const column = table.column(keyBytes, 0, keyBytes.length, 'tag', index);
      column.ids![row] = column.dictionary!.internString(tagValue);
      column.markSet(row);
    }
    const valueColumn = table.column(valueName, 0, valueName.length, 'float64', index);
    valueColumn.floats![row] = value;
    valueColumn.markSet(row);
    const millis = String(Math.abs(timestamp)).length < 13 ? timestamp * 1000 : timestamp;
    if (!Number.isSafeInteger(millis)) throw invalid(index, `timestamp ${timestamp} is out of range`);
    setWordsFromNumber(table.timeColumn.words!, row, millis);
    table.commitRow();
  });
  return set;
}

function invalidPoint(index: number, message: string): never {
  throw invalid(index, message);
}
