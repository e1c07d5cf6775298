/**
 * InfluxDB line protocol over bytes → `TableRowsSet` (GreptimeDB's shape: measurement = table,
 * tags = tag columns, fields = Float64 / Int64 (`i`) / UInt64 (`u`) / String / Boolean columns,
 * time index `greptime_timestamp` in nanoseconds; a line without a timestamp is "now").
 *
 *   measurement[,tag=value...] field=value[,field=value...] [timestamp]
 *
 * The parser walks the body once with indices: names and tag values are interned from their
 * bytes (byte-interner.ts), numbers are parsed from digits, and a JS string is made only for a
 * value never seen before in the request, an escaped token, or an exponent float. Escapes:
 * `\,` `\ ` in measurements, also `\=` in tag keys, tag values and field keys; `\"` `\\` in
 * string fields. Blank lines and `#` comments are skipped; `\r\n` line ends are accepted.
 *
 * Any malformed line rejects the whole body with its line number (nothing is written: the
 * caller writes only after the whole body has parsed).
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { ByteInterner, fnvOffset, fnvPrime } from './byte-interner.ts';
import { setWordsFromBigInt, setWordsFromParts } from './int64-words.ts';
import { TableRowsSet } from './table-rows.ts';
import type { IngestColumn, TableRows } from './table-rows.ts';

/** Timestamp precisions of the write APIs (`precision=`): `n`/`ns`, `u`/`us`, `ms`, `s`, `m`, `h`. */
export type Precision = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h';

const precisionNames: Record<string, Precision> = {
  n: 'ns',
  ns: 'ns',
  u: 'us',
  us: 'us',
  ms: 'ms',
  s: 's',
  m: 'm',
  h: 'h',
};

/** The precision a `precision` parameter names; InvalidArguments for others. */
export function parsePrecision(value: string | null | undefined): Precision {
  if (value === null || value === undefined || value === '') return 'ns';
  const precision = precisionNames[value];
  if (!precision) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Invalid time precision '${value}': expected one of n, ns, u, us, ms, s, m, h`,
    );
  }
  return precision;
}

/** Zeros appended to a timestamp's digits to reach nanoseconds (m and h go through BigInt). */
const zerosToNanos: Record<Precision, number> = { ns: 0, us: 3, ms: 6, s: 9, m: -1, h: -1 };
const nanosPer: Record<Precision, bigint> = {
  ns: 1n,
  us: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

export const greptimeTimestamp = 'greptime_timestamp';

export interface LineProtocolLimits {
  /** Most lines one body may hold (comments and blank lines not counted). */
  maxLines: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const HASH = 0x23;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const powersOfTen = Array.from({ length: 23 }, (_, i) => 10 ** i);
const latin1 = new TextDecoder('latin1');

function isDigit(byte: number): boolean {
  return byte >= ZERO && byte <= NINE;
}

/** Lines parsed between yields to the event loop (`parseLineProtocolYielding`). */
const linesPerSlice = 20_000;

/**
 * Parses a body like `parseLineProtocol`, giving the event loop a turn every 20,000 lines so
 * a large body does not hold up queries and other requests.
 */
export async function parseLineProtocolYielding(
  body: Uint8Array,
  precision: Precision,
  limits: LineProtocolLimits,
  nowMs: number = Date.now(),
): Promise<TableRowsSet> {
  const parser = new LineParser(body, precision, limits, nowMs);
  while (!parser.parseSlice(linesPerSlice)) await new Promise((resolve) => setImmediate(resolve));
  return parser.result();
}

/** Parses a whole body; `nowMs` is the time of lines without a timestamp. */
export function parseLineProtocol(
  body: Uint8Array,
  precision: Precision,
  limits: LineProtocolLimits,
  nowMs: number = Date.now(),
): TableRowsSet {
  return new LineParser(body, precision, limits, nowMs).parse();
}

class LineParser {
  private readonly body: Uint8Array;
  private readonly precision: Precision;
  private readonly limits: LineProtocolLimits;
  private readonly nowHigh: number;
  private readonly nowLow: number;
  private readonly set: TableRowsSet;
  /**
   * Series keys (measurement and tags, as written) seen in this body → their table and tag
   * value ids: a line of a known series skips tag parsing (one hash and compare of its key).
   */
  private readonly seriesKeys = new ByteInterner();
  private readonly seriesTables: TableRows[] = [];
  private readonly seriesTagColumns: IngestColumn[][] = [];
  private readonly seriesTagIds: number[][] = [];
  /**
   * `nextSeries[s]`: the series of the line that followed a line of series `s` last time (-1:
   * none yet). Writers cycle through their series in a fixed order (TSBS: every host at each
   * instant), so this guess saves hashing the series key — the line's longest part — almost
   * always; a wrong guess costs a compare that usually stops within the first bytes.
   */
  private nextSeries = new Int32Array(64).fill(-1);
  private previousSeries = -1;
  private line = 0;
  private lines = 0;
  private position = 0;
  /** Unescaped copies of escaped tokens. */
  private scratch = new Uint8Array(256);

  constructor(body: Uint8Array, precision: Precision, limits: LineProtocolLimits, nowMs: number) {
    this.body = body;
    this.precision = precision;
    this.limits = limits;
    let lines = 1;
    for (let at = body.indexOf(NEWLINE); at >= 0 && lines < 8192; at = body.indexOf(NEWLINE, at + 1)) lines++;
    this.set = new TableRowsSet(greptimeTimestamp, 'ns', 'line', lines);
    // now in ns = nowMs * 1e6 = (floor(nowMs / 1000)) * 1e9 + (nowMs % 1000) * 1e6
    this.nowHigh = Math.floor(nowMs / 1000);
    this.nowLow = (nowMs - this.nowHigh * 1000) * 1_000_000;
  }

  parse(): TableRowsSet {
    this.parseSlice(Infinity);
    return this.set;
  }

  /** Parses up to `maxLines` more lines; true when the body is done. */
  parseSlice(maxLines: number): boolean {
    const body = this.body;
    const length = body.length;
    let position = this.position;
    for (let count = 0; position < length && count < maxLines; count++) {
      this.line++;
      let end = body.indexOf(NEWLINE, position);
      if (end < 0) end = length;
      let lineEnd = end;
      if (lineEnd > position && body[lineEnd - 1] === RETURN) lineEnd--;
      this.parseLine(position, lineEnd);
      position = end + 1;
    }
    this.position = position;
    return position >= length;
  }

  result(): TableRowsSet {
    return this.set;
  }

  private growNextSeries(series: number): void {
    const grown = new Int32Array(Math.max(series + 1, this.nextSeries.length * 2)).fill(-1);
    grown.set(this.nextSeries);
    this.nextSeries = grown;
  }

  private fail(message: string): never {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Invalid InfluxDB line protocol at line ${this.line}: ${message}`,
    );
  }

  private parseLine(start: number, end: number): void {
    const body = this.body;
    let p = start;
    while (p < end && (body[p] === SPACE || body[p] === TAB)) p++;
    if (p === end || body[p] === HASH) return;
    if (++this.lines > this.limits.maxLines) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Request has more than ${this.limits.maxLines} lines (the limit per request); split it`,
      );
    }

    // the series key: measurement and tags, up to the first unescaped space
    let seriesId = -1;
    let seriesEnd = p;
    const guess = this.previousSeries < 0 ? -1 : this.nextSeries[this.previousSeries]!;
    if (guess >= 0) {
      // The guessed key's bytes followed by a space: the scan below would stop at that same
      // space (same bytes before it, so the same escapes), so this is that series.
      const length = this.seriesKeys.lengthAt(guess, body, p, end);
      if (length >= 0 && p + length < end && body[p + length] === SPACE) {
        seriesId = guess;
        seriesEnd = p + length;
      }
    }
    if (seriesId < 0) {
      // (hashed in the same pass: FNV-1a, as ByteInterner.intern would)
      let hash = fnvOffset;
      while (seriesEnd < end) {
        const byte = body[seriesEnd]!;
        if (byte === SPACE) break;
        hash = Math.imul(hash ^ byte, fnvPrime);
        if (byte === BACKSLASH && seriesEnd + 1 < end) {
          seriesEnd++;
          hash = Math.imul(hash ^ body[seriesEnd]!, fnvPrime);
        }
        seriesEnd++;
      }
      seriesId = this.seriesKeys.internHashed(body, p, seriesEnd, hash);
      if (this.previousSeries >= 0) {
        if (this.previousSeries >= this.nextSeries.length) this.growNextSeries(this.previousSeries);
        this.nextSeries[this.previousSeries] = seriesId;
      }
    }
    this.previousSeries = seriesId;
    let table: TableRows;
    let row: number;
    if (seriesId < this.seriesTables.length) {
      table = this.seriesTables[seriesId]!;
      row = table.beginRow();
      const columns = this.seriesTagColumns[seriesId]!;
      const ids = this.seriesTagIds[seriesId]!;
      for (let t = 0; t < columns.length; t++) {
        const column = columns[t]!;
        column.ids![row] = ids[t]!;
        column.markSet(row);
      }
      p = seriesEnd;
    } else {
      const parsed = this.parseSeries(p, end);
      table = parsed.table;
      row = parsed.row;
      p = parsed.end;
      this.seriesTables[seriesId] = table;
      this.seriesTagColumns[seriesId] = parsed.columns;
      this.seriesTagIds[seriesId] = parsed.ids;
    }
    if (p === end || body[p] !== SPACE) this.fail('missing fields');
    while (p < end && body[p] === SPACE) p++;
    if (p === end) this.fail('missing fields');

    // fields
    let fields = 0;
    for (;;) {
      const keyStart = p;
      let escaped = false;
      while (p < end) {
        const byte = body[p]!;
        if (byte === BACKSLASH && p + 1 < end) {
          escaped = true;
          p += 2;
          continue;
        }
        if (byte === EQUALS || byte === COMMA || byte === SPACE) break;
        p++;
      }
      if (p === end || body[p] !== EQUALS) this.fail('field without "=value"');
      if (p === keyStart) this.fail('empty field key');
      const keyEnd = p;
      p++;
      if (p === end) this.fail('missing field value');
      p = this.parseField(table, row, fields, keyStart, keyEnd, escaped, p, end);
      fields++;
      if (p < end && body[p] === COMMA) {
        p++;
        continue;
      }
      break;
    }
    if (fields === 0) this.fail('missing fields');

    // timestamp
    if (p < end && body[p] !== SPACE && body[p] !== TAB) this.fail('unexpected character after the fields');
    while (p < end && (body[p] === SPACE || body[p] === TAB)) p++;
    const words = table.timeColumn.words!;
    if (p === end) {
      setWordsFromParts(words, row, this.nowHigh, this.nowLow, false, false);
    } else {
      const timeStart = p;
      while (p < end && body[p] !== SPACE && body[p] !== TAB) p++;
      const timeEnd = p;
      while (p < end && (body[p] === SPACE || body[p] === TAB)) p++;
      if (p !== end) this.fail('unexpected text after the timestamp');
      this.parseTimestamp(words, row, timeStart, timeEnd);
    }
    table.commitRow();
  }

  /** Parses measurement and tags at `p`, starting a row; returns what the series cache keeps. */
  private parseSeries(
    start: number,
    end: number,
  ): { table: TableRows; row: number; end: number; columns: IngestColumn[]; ids: number[] } {
    const body = this.body;
    const line = this.line;
    let p = start;
    const columns: IngestColumn[] = [];
    const ids: number[] = [];
    // measurement
    const measurementStart = p;
    let escaped = false;
    while (p < end) {
      const byte = body[p]!;
      if (byte === BACKSLASH && p + 1 < end) {
        escaped = true;
        p += 2;
        continue;
      }
      if (byte === COMMA || byte === SPACE) break;
      p++;
    }
    if (p === measurementStart) this.fail('missing measurement');
    if (p === end) this.fail('missing fields');
    const table = escaped ? this.tableOfEscaped(measurementStart, p) : this.set.table(body, measurementStart, p, line);
    const row = table.beginRow();

    // tags
    while (body[p] === COMMA) {
      p++;
      const keyStart = p;
      escaped = false;
      while (p < end) {
        const byte = body[p]!;
        if (byte === BACKSLASH && p + 1 < end) {
          escaped = true;
          p += 2;
          continue;
        }
        if (byte === EQUALS || byte === COMMA || byte === SPACE) break;
        p++;
      }
      if (body[p] !== EQUALS || p === end) this.fail('tag key without "=value"');
      if (p === keyStart) this.fail('empty tag key');
      const column = escaped
        ? this.columnOfEscaped(table, keyStart, p, 'tag')
        : table.column(body, keyStart, p, 'tag', line);
      p++;
      const valueStart = p;
      escaped = false;
      while (p < end) {
        const byte = body[p]!;
        if (byte === BACKSLASH && p + 1 < end) {
          escaped = true;
          p += 2;
          continue;
        }
        if (byte === COMMA || byte === SPACE) break;
        if (byte === EQUALS) this.fail(`unescaped "=" in the value of tag ${column.name}`);
        p++;
      }
      if (p === valueStart) this.fail(`empty value for tag ${column.name}`);
      if (escaped) {
        const length = this.unescape(valueStart, p);
        column.ids![row] = column.dictionary!.intern(this.scratch, 0, length);
      } else {
        column.ids![row] = column.dictionary!.intern(body, valueStart, p);
      }
      column.markSet(row);
      columns.push(column);
      ids.push(column.ids![row]!);
    }
    return { table, row, end: p, columns, ids };
  }

  private parseTimestamp(words: Int32Array, row: number, start: number, end: number): void {
    const body = this.body;
    const negative = body[start] === MINUS;
    const digitsStart = negative ? start + 1 : start;
    if (digitsStart === end) this.fail('invalid timestamp');
    for (let i = digitsStart; i < end; i++)
      if (!isDigit(body[i]!)) this.fail(`invalid timestamp "${this.text(start, end)}"`);
    const zeros = zerosToNanos[this.precision];
    if (zeros >= 0) {
      // The value in ns is the digits followed by `zeros` zeros: split it at 9 digits from the end.
      const digits = end - digitsStart;
      const total = digits + zeros;
      let high = 0;
      let low = 0;
      for (let i = 0; i < total; i++) {
        const digit = i < digits ? body[digitsStart + i]! - ZERO : 0;
        if (i < total - 9) high = high * 10 + digit;
        else low = low * 10 + digit;
      }
      if (total - 9 > 11 || !setWordsFromParts(words, row, high, low, negative, false)) {
        this.fail(`timestamp "${this.text(start, end)}" is out of range for precision ${this.precision}`);
      }
      return;
    }
    const nanos = BigInt(this.text(start, end)) * nanosPer[this.precision];
    if (nanos !== BigInt.asIntN(64, nanos)) {
      this.fail(`timestamp "${this.text(start, end)}" is out of range for precision ${this.precision}`);
    }
    setWordsFromBigInt(words, row, nanos);
  }

  /** Parses one field value at `p`; returns the position after it. */
  private parseField(
    table: TableRows,
    row: number,
    fieldIndex: number,
    keyStart: number,
    keyEnd: number,
    escapedKey: boolean,
    p: number,
    end: number,
  ): number {
    const body = this.body;
    const first = body[p]!;
    if (first === QUOTE) {
      const column = this.fieldColumn(table, fieldIndex, keyStart, keyEnd, escapedKey, 'string');
      if (column.isSet(row)) this.fail(`field ${column.name} appears twice`);
      let q = p + 1;
      let escaped = false;
      while (q < end) {
        const byte = body[q]!;
        if (byte === BACKSLASH && q + 1 < end) {
          escaped = true;
          q += 2;
          continue;
        }
        if (byte === QUOTE) break;
        q++;
      }
      if (q >= end) this.fail(`unterminated string in field ${column.name}`);
      if (escaped) {
        const length = this.unescapeString(p + 1, q);
        column.appendString(row, this.scratch, 0, length);
      } else {
        column.appendString(row, body, p + 1, q);
      }
      return q + 1;
    }
    let q = p;
    while (q < end) {
      const byte = body[q]!;
      if (byte === COMMA || byte === SPACE || byte === TAB) break;
      q++;
    }
    const last = body[q - 1]!;
    if (first === 0x74 || first === 0x54 || first === 0x66 || first === 0x46) {
      // t T true True TRUE f F false False FALSE
      const value = this.booleanOf(p, q);
      const column = this.fieldColumn(table, fieldIndex, keyStart, keyEnd, escapedKey, 'boolean');
      column.bytes![row] = value ? 1 : 0;
      column.markSet(row);
      return q;
    }
    if (last === 0x69 /* i */ || last === 0x75 /* u */) {
      const unsigned = last === 0x75;
      const column = this.fieldColumn(table, fieldIndex, keyStart, keyEnd, escapedKey, unsigned ? 'uint64' : 'int64');
      this.parseInteger(column, row, p, q - 1, unsigned);
      return q;
    }
    const column = this.fieldColumn(table, fieldIndex, keyStart, keyEnd, escapedKey, 'float64');
    column.floats![row] = this.parseFloat(column, p, q);
    column.markSet(row);
    return q;
  }

  /** The field's column: the one the previous line named at this position when the bytes match. */
  private fieldColumn(
    table: TableRows,
    fieldIndex: number,
    keyStart: number,
    keyEnd: number,
    escaped: boolean,
    kind: 'float64' | 'int64' | 'uint64' | 'boolean' | 'string',
  ): IngestColumn {
    if (escaped) return this.columnOfEscaped(table, keyStart, keyEnd, kind);
    const body = this.body;
    const cached = table.fieldOrder[fieldIndex];
    if (cached !== undefined && cached.kind === kind) {
      const name = table.fieldOrderNames[fieldIndex]!;
      const length = keyEnd - keyStart;
      if (name.length === length) {
        let same = true;
        for (let i = 0; i < length; i++) {
          if (name[i] !== body[keyStart + i]) {
            same = false;
            break;
          }
        }
        if (same) return cached;
      }
    }
    const column = table.column(body, keyStart, keyEnd, kind, this.line);
    table.fieldOrder[fieldIndex] = column;
    table.fieldOrderNames[fieldIndex] = body.slice(keyStart, keyEnd);
    return column;
  }

  private booleanOf(start: number, end: number): boolean {
    const text = this.text(start, end);
    switch (text) {
      case 't':
      case 'T':
      case 'true':
      case 'True':
      case 'TRUE':
        return true;
      case 'f':
      case 'F':
      case 'false':
      case 'False':
      case 'FALSE':
        return false;
    }
    return this.fail(`invalid field value "${text}"`);
  }

  private parseInteger(column: IngestColumn, row: number, start: number, end: number, unsigned: boolean): void {
    const body = this.body;
    const negative = body[start] === MINUS;
    const digitsStart = negative ? start + 1 : start;
    const digits = end - digitsStart;
    if (digits <= 0 || digits > 20) this.fail(`invalid integer "${this.text(start, end + 1)}" in field ${column.name}`);
    let high = 0;
    let low = 0;
    for (let i = digitsStart; i < end; i++) {
      const byte = body[i]!;
      if (!isDigit(byte)) this.fail(`invalid integer "${this.text(start, end + 1)}" in field ${column.name}`);
      if (end - i > 9) high = high * 10 + (byte - ZERO);
      else low = low * 10 + (byte - ZERO);
    }
    if (!setWordsFromParts(column.words!, row, high, low, negative, unsigned)) {
      this.fail(
        `integer "${this.text(start, end + 1)}" is out of range for ${unsigned ? 'UInt64' : 'Int64'} in field ${column.name}`,
      );
    }
    column.markSet(row);
  }

  private parseFloat(column: IngestColumn, start: number, end: number): number {
    const body = this.body;
    let p = start;
    let negative = false;
    if (body[p] === MINUS || body[p] === PLUS) {
      negative = body[p] === MINUS;
      p++;
    }
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    let seenDot = false;
    let exponent = false;
    for (; p < end; p++) {
      const byte = body[p]!;
      if (isDigit(byte)) {
        mantissa = mantissa * 10 + (byte - ZERO);
        digits++;
        if (seenDot) fraction++;
      } else if (byte === DOT && !seenDot) {
        seenDot = true;
      } else if ((byte === 0x65 || byte === 0x45) && digits > 0) {
        exponent = true;
        break;
      } else {
        this.fail(`invalid field value "${this.text(start, end)}" for field ${column.name}`);
      }
    }
    if (digits === 0) this.fail(`invalid field value "${this.text(start, end)}" for field ${column.name}`);
    if (!exponent && digits <= 15) {
      const value = fraction === 0 ? mantissa : mantissa / powersOfTen[fraction]!;
      return negative ? -value : value;
    }
    if (exponent) {
      // [eE][+-]?digits
      let q = p + 1;
      if (body[q] === PLUS || body[q] === MINUS) q++;
      if (q === end) this.fail(`invalid field value "${this.text(start, end)}" for field ${column.name}`);
      for (; q < end; q++) {
        if (!isDigit(body[q]!)) this.fail(`invalid field value "${this.text(start, end)}" for field ${column.name}`);
      }
    }
    return Number(this.text(start, end));
  }

  private text(start: number, end: number): string {
    return latin1.decode(this.body.subarray(start, end));
  }

  private tableOfEscaped(start: number, end: number): TableRows {
    const length = this.unescape(start, end);
    return this.set.table(this.scratch, 0, length, this.line);
  }

  private columnOfEscaped(
    table: TableRows,
    start: number,
    end: number,
    kind: 'tag' | 'float64' | 'int64' | 'uint64' | 'boolean' | 'string',
  ): IngestColumn {
    const length = this.unescape(start, end);
    return table.column(this.scratch, 0, length, kind, this.line);
  }

  /** Copies `body[start, end)` into `scratch` without escaping backslashes; returns the length. */
  private unescape(start: number, end: number): number {
    const body = this.body;
    const scratch = this.ensureScratch(end - start);
    let length = 0;
    for (let p = start; p < end; p++) {
      let byte = body[p]!;
      if (byte === BACKSLASH && p + 1 < end) {
        const next = body[p + 1]!;
        if (next === COMMA || next === SPACE || next === EQUALS || next === BACKSLASH) {
          byte = next;
          p++;
        }
      }
      scratch[length++] = byte;
    }
    return length;
  }

  /** A string field's content without its escapes (`\"` and `\\`). */
  private unescapeString(start: number, end: number): number {
    const body = this.body;
    const scratch = this.ensureScratch(end - start);
    let length = 0;
    for (let p = start; p < end; p++) {
      let byte = body[p]!;
      if (byte === BACKSLASH && p + 1 < end) {
        const next = body[p + 1]!;
        if (next === QUOTE || next === BACKSLASH) {
          byte = next;
          p++;
        }
      }
      scratch[length++] = byte;
    }
    return length;
  }

  private ensureScratch(length: number): Uint8Array {
    if (this.scratch.length < length) this.scratch = new Uint8Array(Math.max(length, this.scratch.length * 2));
    return this.scratch;
  }
}
