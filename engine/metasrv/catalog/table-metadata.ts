/**
 * Table metadata in the KvBackend. Keys:
 *
 *   __meta/table/<catalog>/<schema>/<name>   JSON TableInfo   (the commit point of a create)
 *   __meta/table-route/<tableId>             JSON { "<regionId>": datanodeId }
 *   __meta/seq/table                         decimal string   (the last table id handed out)
 *   __meta/database/<catalog>/<name>         JSON DatabaseRecord (CREATE DATABASE; `public` is implicit)
 *
 * Table ids start at 1024 (GreptimeDB keeps lower ids for system tables) and are allocated
 * by compare-and-put, so several metasrvs sharing etcd never hand out one id twice. Ids are
 * never reused: a half-finished drop cannot collide with a new table's regions.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { TableInfo } from '../../rpc/index.ts';
import type { KvBackend } from '../kv/index.ts';

/** The first table id handed out. */
export const firstTableId = 1024;

/** Region id = table id << 32 | region number, as in GreptimeDB (exact below 2^53). */
export function regionIdOf(tableId: number, regionNumber: number): number {
  return tableId * 2 ** 32 + regionNumber;
}

/** Region id → datanode id. */
export type TableRouteRecord = Record<string, number>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const tableSeqKey = '__meta/seq/table';

/** What metasrv keeps about a database created with CREATE DATABASE. */
export interface DatabaseRecord {
  name: string;
  /** Options in their SQL spelling (`ttl`, ...). */
  options: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
  /** A DROP DATABASE has begun (it finishes after a metasrv restart): no table may be created in it. */
  dropping?: boolean;
}

function databaseKey(catalog: string, name: string): string {
  return `__meta/database/${catalog}/${name}`;
}

function tableKey(catalog: string, schema: string, name: string): string {
  return `__meta/table/${catalog}/${schema}/${name}`;
}

function tablePrefix(catalog: string, schema: string): string {
  return `__meta/table/${catalog}/${schema}/`;
}

function routeKey(tableId: number): string {
  return `__meta/table-route/${tableId}`;
}

function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function decode<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

/** Reads and writes table info and routes; holds nothing in memory. */
export class TableMetadataStore {
  /** The backend, also for other records beside the tables (procedures). */
  readonly kv: KvBackend;

  constructor(kv: KvBackend) {
    this.kv = kv;
  }

  async getTable(catalog: string, schema: string, name: string): Promise<TableInfo | undefined> {
    const bytes = await this.kv.get(tableKey(catalog, schema, name));
    return bytes === undefined ? undefined : decode<TableInfo>(bytes);
  }

  /** Table names of one database, in key order. */
  async listTableNames(catalog: string, schema: string): Promise<string[]> {
    const prefix = tablePrefix(catalog, schema);
    const entries = await this.kv.range(prefix);
    return entries.map((entry) => entry.key.slice(prefix.length)).filter((name) => !name.includes('/'));
  }

  /** Every table of a catalog, ordered by database and name (information_schema listings). */
  async listTables(catalog: string): Promise<TableInfo[]> {
    return (await this.kv.range(`__meta/table/${catalog}/`)).map((entry) => decode<TableInfo>(entry.value));
  }

  /** Every table's route, for placement (regions per datanode). */
  async allRoutes(): Promise<TableRouteRecord[]> {
    return (await this.kv.range('__meta/table-route/')).map((entry) => decode<TableRouteRecord>(entry.value));
  }

  async getRoute(tableId: number): Promise<TableRouteRecord | undefined> {
    const bytes = await this.kv.get(routeKey(tableId));
    return bytes === undefined ? undefined : decode<TableRouteRecord>(bytes);
  }

  async putRoute(tableId: number, route: TableRouteRecord): Promise<void> {
    await this.kv.put(routeKey(tableId), encode(route));
  }

  async deleteRoute(tableId: number): Promise<void> {
    await this.kv.delete(routeKey(tableId));
  }

  /** Writes the table info only if no table has the name; returns whether it wrote. */
  async putTableIfAbsent(info: TableInfo): Promise<boolean> {
    return this.kv.compareAndPut(tableKey(info.catalog, info.schema, info.name), undefined, encode(info));
  }

  /** Overwrites the table info of an existing table (ALTER TABLE; DDL runs one at a time). */
  async putTable(info: TableInfo): Promise<void> {
    await this.kv.put(tableKey(info.catalog, info.schema, info.name), encode(info));
  }

  /** Returns whether the table existed. */
  async deleteTable(catalog: string, schema: string, name: string): Promise<boolean> {
    return this.kv.delete(tableKey(catalog, schema, name));
  }

  async getDatabase(catalog: string, name: string): Promise<DatabaseRecord | undefined> {
    const bytes = await this.kv.get(databaseKey(catalog, name));
    return bytes === undefined ? undefined : decode<DatabaseRecord>(bytes);
  }

  /** Writes the database only if none has the name; returns whether it wrote. */
  async putDatabaseIfAbsent(catalog: string, record: DatabaseRecord): Promise<boolean> {
    return this.kv.compareAndPut(databaseKey(catalog, record.name), undefined, encode(record));
  }

  /** Overwrites a database record (ALTER DATABASE; DDL runs one at a time). */
  async putDatabase(catalog: string, record: DatabaseRecord): Promise<void> {
    await this.kv.put(databaseKey(catalog, record.name), encode(record));
  }

  async deleteDatabase(catalog: string, name: string): Promise<boolean> {
    return this.kv.delete(databaseKey(catalog, name));
  }

  /** Names of the databases created in a catalog, in key order (`public` is not stored). */
  async listDatabaseNames(catalog: string): Promise<string[]> {
    const prefix = `__meta/database/${catalog}/`;
    return (await this.kv.range(prefix)).map((entry) => entry.key.slice(prefix.length));
  }

  /** A new table id (1024, 1025, ...), never handed out before. */
  async allocateTableId(): Promise<number> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const current = await this.kv.get(tableSeqKey);
      const last = current === undefined ? firstTableId - 1 : Number(decoder.decode(current));
      const next = last + 1;
      if (await this.kv.compareAndPut(tableSeqKey, current, encoder.encode(String(next)))) return next;
    }
    throw new TesseraError(ErrorCode.MetadataConflict, 'Could not allocate a table id: 100 compare-and-put conflicts', {
      retryable: true,
    });
  }
}
