/**
 * Database DDL in metasrv: CREATE DATABASE records the name (and options), DROP DATABASE drops
 * every table in it through `TableDdl` and then the record. `public` always exists and cannot
 * be dropped; `information_schema` and `greptime_private` are the system schemas GreptimeDB
 * lists, served by the frontend, never stored.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { DatabaseRecord } from './table-metadata.ts';
import type { TableDdl } from './table-ddl.ts';

export const defaultDatabase = 'public';
/** Schemas every catalog has without CREATE DATABASE. */
export const builtinDatabases = ['greptime_private', 'information_schema', defaultDatabase];
const readOnlyDatabases = new Set(['greptime_private', 'information_schema', 'pg_catalog']);

export class DatabaseDdl {
  private readonly tables: TableDdl;

  constructor(tables: TableDdl) {
    this.tables = tables;
  }

  /** Whether the database exists (a built-in one or one created with CREATE DATABASE). */
  async exists(catalog: string, name: string): Promise<boolean> {
    if (builtinDatabases.includes(name)) return true;
    return (await this.tables.store.getDatabase(catalog, name)) !== undefined;
  }

  async create(catalog: string, name: string, ifNotExists: boolean, options: Record<string, string>): Promise<boolean> {
    if (builtinDatabases.includes(name) || readOnlyDatabases.has(name)) {
      if (ifNotExists) return false;
      throw new TesseraError(ErrorCode.InvalidArguments, `Schema ${name} already exists`);
    }
    const created = await this.tables.store.putDatabaseIfAbsent(catalog, { name, options, createdAt: Date.now() });
    if (!created && !ifNotExists) throw new TesseraError(ErrorCode.InvalidArguments, `Schema ${name} already exists`);
    return created;
  }

  async drop(catalog: string, name: string, ifExists: boolean): Promise<boolean> {
    if (readOnlyDatabases.has(name) || name === defaultDatabase) {
      throw new TesseraError(ErrorCode.Unsupported, `Schema \`${name}\` is read-only`);
    }
    if (!(await this.tables.store.getDatabase(catalog, name))) {
      if (ifExists) return false;
      throw new TesseraError(ErrorCode.DatabaseNotFound, `Database not found: ${name}`);
    }
    // Metric logical tables and views first: a physical table refuses to go while they use it.
    const names = await this.tables.store.listTableNames(catalog, name);
    const infos = await Promise.all(names.map((table) => this.tables.store.getTable(catalog, name, table)));
    const first = infos.filter((info) => info && (info.physicalTable !== undefined || info.kind === 'view'));
    for (const info of [...first, ...infos.filter((info) => !first.includes(info))]) {
      if (info) await this.tables.dropTable(catalog, name, info.name, true);
    }
    await this.tables.store.deleteDatabase(catalog, name);
    return true;
  }

  /** The record of a database; built-in ones have none (and no options). */
  async get(catalog: string, name: string): Promise<DatabaseRecord | undefined> {
    if (builtinDatabases.includes(name)) {
      return (await this.tables.store.getDatabase(catalog, name)) ?? { name, options: {}, createdAt: 0 };
    }
    return this.tables.store.getDatabase(catalog, name);
  }

  /** ALTER DATABASE SET / UNSET: options merged into the record (`public` gets one on first use). */
  async alter(catalog: string, name: string, set: Record<string, string>, unset: string[]): Promise<void> {
    const current = await this.get(catalog, name);
    if (!current) throw new TesseraError(ErrorCode.DatabaseNotFound, `Database not found: ${name}`);
    const options = { ...current.options, ...set };
    for (const key of unset) delete options[key];
    await this.tables.store.putDatabase(catalog, { ...current, options });
  }

  /** Every database of the catalog, built-in ones included, sorted. */
  async list(catalog: string): Promise<string[]> {
    const names = new Set([...builtinDatabases, ...(await this.tables.store.listDatabaseNames(catalog))]);
    return [...names].sort();
  }
}
