/**
 * What every write protocol decodes into: per table, columns of typed arrays that grow as rows
 * arrive (GreptimeDB's `RowInsertRequests`, kept columnar). A decoder appends a row by
 * `beginRow()`, sets the cells it has, and `commitRow()`; a cell never set is null (validity
 * bitmaps start cleared), so a column first seen at row 1,000 needs no back-filling.
 *
 * Storage per kind (the Arrow batch is built from these buffers without copying rows):
 *   tag        Int32Array of value ids into the column's own ByteInterner (a dictionary)
 *   float64    Float64Array
 *   int64, uint64, timestamp   Int32Array word pairs (int64-words.ts)
 *   boolean    Uint8Array, one byte per row
 *   string     Int32Array offsets into a byte arena (UTF-8)
 *
 * Each column remembers the line (or series / point) that introduced it, so a type conflict
 * found later names both places.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { ByteInterner } from './byte-interner.ts';

export type IngestColumnKind = 'tag' | 'float64' | 'int64' | 'uint64' | 'boolean' | 'string' | 'timestamp';

/** GreptimeDB's names of the kinds, for messages. */
export const kindNames: Record<IngestColumnKind, string> = {
  tag: 'String (tag)',
  float64: 'Float64',
  int64: 'Int64',
  uint64: 'UInt64',
  boolean: 'Boolean',
  string: 'String',
  timestamp: 'Timestamp',
};

export class IngestColumn {
  readonly name: string;
  readonly kind: IngestColumnKind;
  /** Where the column first appeared (a line number, or a series / point index). */
  readonly firstSeenAt: number;
  validity: Uint8Array;
  floats: Float64Array | undefined;
  words: Int32Array | undefined;
  bytes: Uint8Array | undefined;
  /** Tag value ids, or string offsets (`offsets[row]` .. `offsets[row + 1]`). */
  ids: Int32Array | undefined;
  readonly dictionary: ByteInterner | undefined;
  stringArena: Uint8Array | undefined;
  stringUsed = 0;

  constructor(name: string, kind: IngestColumnKind, capacity: number, firstSeenAt: number) {
    this.name = name;
    this.kind = kind;
    this.firstSeenAt = firstSeenAt;
    this.validity = new Uint8Array((capacity + 7) >> 3);
    switch (kind) {
      case 'tag':
        this.ids = new Int32Array(capacity);
        this.dictionary = new ByteInterner();
        break;
      case 'float64':
        this.floats = new Float64Array(capacity);
        break;
      case 'int64':
      case 'uint64':
      case 'timestamp':
        this.words = new Int32Array(capacity * 2);
        break;
      case 'boolean':
        this.bytes = new Uint8Array(capacity);
        break;
      case 'string':
        this.ids = new Int32Array(capacity + 1);
        this.stringArena = new Uint8Array(1024);
        break;
    }
  }

  grow(capacity: number, rows: number): void {
    const validity = new Uint8Array((capacity + 7) >> 3);
    validity.set(this.validity);
    this.validity = validity;
    if (this.floats) this.floats = copyInto(new Float64Array(capacity), this.floats);
    if (this.words) this.words = copyInto(new Int32Array(capacity * 2), this.words);
    if (this.bytes) this.bytes = copyInto(new Uint8Array(capacity), this.bytes);
    if (this.ids) {
      const ids = new Int32Array(this.kind === 'string' ? capacity + 1 : capacity);
      ids.set(this.ids.subarray(0, this.kind === 'string' ? rows + 1 : rows));
      this.ids = ids;
    }
  }

  isSet(row: number): boolean {
    return (this.validity[row >> 3]! & (1 << (row & 7))) !== 0;
  }

  markSet(row: number): void {
    this.validity[row >> 3]! |= 1 << (row & 7);
  }

  /**
   * Appends string bytes for `row`. String cells must be written in row order (each row at
   * most once): rows without a value get an empty range when the next value arrives.
   */
  appendString(row: number, source: Uint8Array, start: number, end: number): void {
    const ids = this.ids!;
    const length = end - start;
    let arena = this.stringArena!;
    if (this.stringUsed + length > arena.length) {
      const grown = new Uint8Array(Math.max(arena.length * 2, this.stringUsed + length));
      grown.set(arena.subarray(0, this.stringUsed));
      this.stringArena = arena = grown;
    }
    arena.set(source.subarray(start, end), this.stringUsed);
    this.stringUsed += length;
    ids[row + 1] = this.stringUsed;
    this.markSet(row);
  }

  /** Closes string offsets up to `rows` (rows never written become empty nulls). */
  finishStrings(rows: number): void {
    if (this.kind !== 'string') return;
    const ids = this.ids!;
    for (let row = 1; row <= rows; row++) if (ids[row]! < ids[row - 1]!) ids[row] = ids[row - 1]!;
  }
}

function copyInto<T extends Float64Array | Int32Array | Uint8Array>(target: T, source: T): T {
  target.set(source as never);
  return target;
}

/** One table's rows. */
export class TableRows {
  readonly name: string;
  /** The unit of `timeColumn` ticks: line protocol uses ns, Prometheus and OpenTSDB ms. */
  readonly timeUnit: 'ns' | 'ms';
  readonly columns: IngestColumn[] = [];
  readonly timeColumn: IngestColumn;
  /** Column names → index in `columns`, keyed by their bytes. */
  readonly names = new ByteInterner();
  rows = 0;
  /**
   * A decoder's lookup cache: the field columns of the last row in the order it named them,
   * with their name bytes, so a stream of same-shaped lines finds each column by one byte
   * compare (line-protocol.ts).
   */
  readonly fieldOrder: IngestColumn[] = [];
  readonly fieldOrderNames: Uint8Array[] = [];
  private capacity: number;
  /** Column index by name id (names interned in `names`); -1 for none. */
  private columnOfName = new Int32Array(16).fill(-1);

  /** How a position reads in messages: `line`, `series`, `data point`. */
  readonly unitName: string;

  constructor(name: string, timeColumnName: string, timeUnit: 'ns' | 'ms', unitName: string, capacity = 64) {
    this.name = name;
    this.timeUnit = timeUnit;
    this.unitName = unitName;
    this.capacity = capacity;
    this.timeColumn = new IngestColumn(timeColumnName, 'timestamp', capacity, 0);
  }

  /** Makes room for one more row; returns its index (written until `commitRow`). */
  beginRow(): number {
    if (this.rows === this.capacity) {
      const capacity = this.capacity * 2;
      for (const column of this.columns) column.grow(capacity, this.rows);
      this.timeColumn.grow(capacity, this.rows);
      this.capacity = capacity;
    }
    return this.rows;
  }

  commitRow(): void {
    this.timeColumn.markSet(this.rows);
    this.rows++;
  }

  /**
   * The column named by `bytes[start, end)`, created with `kind` when new. A name used with
   * another kind is a type conflict (the message names `where`, the column's first place and
   * both types); a name equal to the time index is refused.
   */
  column(bytes: Uint8Array, start: number, end: number, kind: IngestColumnKind, where: number): IngestColumn {
    const nameId = this.names.intern(bytes, start, end);
    let index = nameId < this.columnOfName.length ? this.columnOfName[nameId]! : -1;
    if (index < 0) index = this.addColumn(nameId, kind, where);
    const column = this.columns[index]!;
    if (column.kind !== kind) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `${this.unitName} ${where}: column ${column.name} of table ${this.name} is ${kindNames[kind]} here but ${kindNames[column.kind]} at ${this.unitName} ${column.firstSeenAt}`,
      );
    }
    return column;
  }

  private addColumn(nameId: number, kind: IngestColumnKind, where: number): number {
    let name: string;
    try {
      name = this.names.stringOf(nameId);
    } catch {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `${this.unitName} ${where}: a column name in table ${this.name} is not UTF-8`,
      );
    }
    if (name === this.timeColumn.name) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `${this.unitName} ${where}: column ${name} of table ${this.name} is the time index and cannot be a tag or field`,
      );
    }
    if (nameId >= this.columnOfName.length) {
      const grown = new Int32Array(Math.max(nameId + 1, this.columnOfName.length * 2)).fill(-1);
      grown.set(this.columnOfName);
      this.columnOfName = grown;
    }
    const index = this.columns.length;
    this.columns.push(new IngestColumn(name, kind, this.capacity, where));
    this.columnOfName[nameId] = index;
    return index;
  }
}

/** The tables of one request, looked up by name bytes. */
export class TableRowsSet {
  readonly tables: TableRows[] = [];
  private readonly names = new ByteInterner();
  private readonly timeColumnName: string;
  private readonly timeUnit: 'ns' | 'ms';
  /** How a position is written in messages: `line 3`, `series 2`, `data point 5`. */
  readonly unitName: string;

  /** Rows a new table has room for before it first grows. */
  private readonly initialCapacity: number;

  constructor(timeColumnName: string, timeUnit: 'ns' | 'ms', unitName: string, initialCapacity = 64) {
    this.initialCapacity = initialCapacity;
    this.timeColumnName = timeColumnName;
    this.timeUnit = timeUnit;
    this.unitName = unitName;
  }

  table(bytes: Uint8Array, start: number, end: number, where: number): TableRows {
    const id = this.names.intern(bytes, start, end);
    let table = this.tables[id];
    if (!table) {
      let name: string;
      try {
        name = this.names.stringOf(id);
      } catch {
        throw new TesseraError(ErrorCode.InvalidArguments, `${this.unitName} ${where}: the table name is not UTF-8`);
      }
      table = new TableRows(name, this.timeColumnName, this.timeUnit, this.unitName, this.initialCapacity);
      this.tables[id] = table;
    }
    return table;
  }

  /** Total rows over all tables. */
  get rows(): number {
    let rows = 0;
    for (const table of this.tables) rows += table.rows;
    return rows;
  }
}
