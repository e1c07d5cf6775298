/**
 * Reading an Arrow result column by column without turning rows into objects: column kinds,
 * cell text (timestamps in the chosen time zone), sort keys and CSV.
 */
import { Type } from 'apache-arrow';
import type { DataType, Table, Vector } from 'apache-arrow';

export type ColumnKind = 'time' | 'number' | 'text' | 'boolean' | 'other';

export function columnKind(type: DataType): ColumnKind {
  switch (type.typeId) {
    case Type.Timestamp:
    case Type.Date:
      return 'time';
    case Type.Int:
    case Type.Float:
    case Type.Decimal:
      return 'number';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'text';
    case Type.Bool:
      return 'boolean';
    default:
      return 'other';
  }
}

/** A short type label for a column header: `Int64`, `Float64`, `String`, `Timestamp(ms)`. */
export function typeLabel(type: DataType): string {
  const text = String(type);
  if (type.typeId === Type.Utf8) return 'String';
  const unit = /^Timestamp<(\w+)>/.exec(text);
  if (unit)
    return `Timestamp(${({ SECOND: 's', MILLISECOND: 'ms', MICROSECOND: 'µs', NANOSECOND: 'ns' } as Record<string, string>)[unit[1]!] ?? unit[1]})`;
  return text;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `2024-01-02 03:04:05.678` in `timeZone`. */
export function formatTimestamp(ms: number, timeZone: string): string {
  if (!Number.isFinite(ms)) return String(ms);
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond}`;
}

export function cellText(value: unknown, kind: ColumnKind, timeZone: string): string {
  if (value === null || value === undefined) return 'NULL';
  if (kind === 'time') return formatTimestamp(Number(value), timeZone);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'object' && !(value instanceof Date))
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  return String(value);
}

export interface ColumnView {
  name: string;
  vector: Vector;
  kind: ColumnKind;
  type: string;
}

export function columnViews(table: Table): ColumnView[] {
  return table.schema.fields.map((field, index) => ({
    name: field.name,
    vector: table.getChildAt(index)!,
    kind: columnKind(field.type),
    type: typeLabel(field.type),
  }));
}

/**
 * The row order that sorts by `column`: a permutation of row indices. Keys are read once into
 * a typed array (numbers, times) or an array of strings; nulls sort last either way.
 */
export function sortPermutation(column: ColumnView, descending: boolean, rowCount: number): Uint32Array {
  const order = new Uint32Array(rowCount);
  for (let i = 0; i < rowCount; i++) order[i] = i;
  const sign = descending ? -1 : 1;
  if (column.kind === 'number' || column.kind === 'time' || column.kind === 'boolean') {
    const keys = new Float64Array(rowCount);
    let i = 0;
    for (const value of column.vector) keys[i++] = value === null || value === undefined ? NaN : Number(value);
    order.sort((a, b) => {
      const x = keys[a]!;
      const y = keys[b]!;
      if (Number.isNaN(x)) return Number.isNaN(y) ? a - b : 1;
      if (Number.isNaN(y)) return -1;
      return x === y ? a - b : (x < y ? -1 : 1) * sign;
    });
    return order;
  }
  const keys = new Array<string | null>(rowCount);
  let i = 0;
  for (const value of column.vector) keys[i++] = value === null || value === undefined ? null : String(value);
  order.sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    if (x === null) return y === null ? a - b : 1;
    if (y === null) return -1;
    return x === y ? a - b : (x < y ? -1 : 1) * sign;
  });
  return order;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole result as CSV (RFC 4180), in the grid's row order; timestamps in ISO 8601 UTC. */
export function toCsv(columns: ColumnView[], rowCount: number, order?: Uint32Array): string {
  const lines: string[] = [columns.map((c) => csvField(c.name)).join(',')];
  for (let r = 0; r < rowCount; r++) {
    const row = order ? order[r]! : r;
    lines.push(
      columns
        .map((c) => {
          const value: unknown = c.vector.get(row);
          if (value === null || value === undefined) return '';
          if (c.kind === 'time') return new Date(Number(value)).toISOString();
          return csvField(cellText(value, c.kind, 'UTC'));
        })
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** Saves `data` as a file through the browser's download. */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
