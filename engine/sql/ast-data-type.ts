/**
 * Data types as written in SQL (`TIMESTAMP(3)`, `DOUBLE PRECISION`, `INT UNSIGNED`,
 * `Float64`, `TIMESTAMP_MS`, `DECIMAL(10, 2)`, `VARCHAR(255)`, `INT[]`). The parser does not
 * decide what a name means — GreptimeDB accepts many aliases and mapping them to storage types
 * is the catalog's job — except for the one question it must answer itself: whether a type is
 * a timestamp (a time index column must be one). See `isTimestampType`.
 */
import type { Span } from './span.ts';

/**
 * A type name with its parameters. `name` is the upper-cased name, several words joined by one
 * space (`DOUBLE PRECISION`, `CHARACTER VARYING`); `params` are the parenthesized arguments
 * as written (`['10', '2']`); `unsigned` is MySQL's suffix; `timeZone` is `WITH TIME ZONE` /
 * `WITHOUT TIME ZONE`; `arrayDepth` counts trailing `[]`.
 */
export interface DataType {
  name: string;
  params: string[];
  unsigned: boolean;
  timeZone: 'with' | 'without' | null;
  arrayDepth: number;
  span: Span;
}

/** Type names GreptimeDB accepts for timestamps, with the precision each implies. */
const TIMESTAMP_PRECISION: Record<string, number | null> = {
  TIMESTAMP: null,
  TIMESTAMPTZ: null,
  DATETIME: 6,
  TIMESTAMP_S: 0,
  TIMESTAMP_SEC: 0,
  TIMESTAMPSECOND: 0,
  TIMESTAMP_MS: 3,
  TIMESTAMPMILLISECOND: 3,
  TIMESTAMP_US: 6,
  TIMESTAMPMICROSECOND: 6,
  TIMESTAMP_NS: 9,
  TIMESTAMPNANOSECOND: 9,
};

/** Whether `type` is a timestamp type, aliases (`TIMESTAMP_MS`, `DATETIME`, ...) included. */
export function isTimestampType(type: DataType): boolean {
  return type.arrayDepth === 0 && type.name in TIMESTAMP_PRECISION;
}

/**
 * The fractional-second digits of a timestamp type (0, 3, 6 or 9 as GreptimeDB uses them), or
 * null for a plain `TIMESTAMP` (millisecond by GreptimeDB's default) and non-timestamps.
 */
export function timestampPrecision(type: DataType): number | null {
  if (!isTimestampType(type)) return null;
  if (type.params.length > 0) return Number(type.params[0]);
  return TIMESTAMP_PRECISION[type.name] ?? null;
}
