/**
 * Database DDL in metasrv, as procedures in the same DDL queue as table DDL (so a database is
 * never created or dropped half way through a table statement):
 *
 * - `create-database`: the record, then done (repeating it is harmless).
 * - `drop-database`: `mark-dropping` (the record says `dropping`: CREATE TABLE in it is refused
 *   from then on), `drop-tables` (views and metric logical tables first, each table through
 *   the drop-table procedure; a resumed one lists again what is left), `drop-metadata`.
 *
 * `public` always exists and cannot be dropped; `information_schema` and `greptime_private`
 * are the system schemas GreptimeDB lists, served by the frontend, never stored.
 */
import { ErrorCode, TesseraError, asTesseraError } from '../../common/index.ts';
import type { TableInfo } from '../../rpc/index.ts';
import { databaseLockKeys, faultPoint } from '../procedure/index.ts';
import type { ProcedureRecord } from '../procedure/index.ts';
import type { DatabaseRecord } from './table-metadata.ts';
import type { TableDdl } from './table-ddl.ts';

export const defaultDatabase = 'public';
/** Schemas every catalog has without CREATE DATABASE. */
export const builtinDatabases = ['greptime_private', 'information_schema', defaultDatabase];
const readOnlyDatabases = new Set(['greptime_private', 'information_schema', 'pg_catalog']);

/** What a create-database procedure records: the record it puts. */
interface CreateDatabaseData {
  catalog: string;
  record: DatabaseRecord;
}

/** What a drop-database procedure records: which database. */
interface DropDatabaseData {
  catalog: string;
  name: string;
}

export class DatabaseDdl {
  private readonly tables: TableDdl;

  constructor(tables: TableDdl) {
    this.tables = tables;
    tables.registerResumer('create-database', {
      nodes: async () => [],
      run: (record) => this.runCreateDatabase(record as ProcedureRecord<CreateDatabaseData>),
    });
    tables.registerResumer('drop-database', {
      nodes: (record) => this.routeNodesOf((record as ProcedureRecord<DropDatabaseData>).data),
      run: (record) => this.runDropDatabase(record as ProcedureRecord<DropDatabaseData>),
    });
  }

  /** Whether the database exists (a built-in one or one created with CREATE DATABASE). */
  async exists(catalog: string, name: string): Promise<boolean> {
    if (builtinDatabases.includes(name)) return true;
    return (await this.tables.store.getDatabase(catalog, name)) !== undefined;
  }

  /** Throws unless a table may be created in the database: it exists and is not being dropped. */
  async checkCreatable(catalog: string, name: string): Promise<void> {
    if (builtinDatabases.includes(name)) return;
    const record = await this.tables.store.getDatabase(catalog, name);
    if (!record) throw new TesseraError(ErrorCode.DatabaseNotFound, `Database not found: ${name}`);
    if (record.dropping) {
      throw new TesseraError(
        ErrorCode.DatabaseNotFound,
        `Database ${name} is being dropped: no table can be created in it`,
      );
    }
  }

  create(catalog: string, name: string, ifNotExists: boolean, options: Record<string, string>): Promise<boolean> {
    return this.tables.inQueue(async () => {
      if (builtinDatabases.includes(name) || readOnlyDatabases.has(name)) {
        if (ifNotExists) return false;
        throw new TesseraError(ErrorCode.InvalidArguments, `Schema ${name} already exists`);
      }
      if (await this.tables.store.getDatabase(catalog, name)) {
        if (ifNotExists) return false;
        throw new TesseraError(ErrorCode.InvalidArguments, `Schema ${name} already exists`);
      }
      const procedure = await this.tables.procedures.begin<CreateDatabaseData>(
        'create-database',
        'create-metadata',
        { catalog, record: { name, options, createdAt: Date.now() } },
        databaseLockKeys(catalog, name),
      );
      return this.runCreateDatabase(procedure);
    });
  }

  /** `create-metadata`: the record, unless one is there already (a resumed procedure put it). */
  private async runCreateDatabase(procedure: ProcedureRecord<CreateDatabaseData>): Promise<boolean> {
    const { catalog, record } = procedure.data;
    const created = await this.tables.store.putDatabaseIfAbsent(catalog, record);
    await this.tables.procedures.finish(procedure);
    return created;
  }

  drop(catalog: string, name: string, ifExists: boolean): Promise<boolean> {
    return this.tables.inQueue(async () => {
      if (readOnlyDatabases.has(name) || name === defaultDatabase) {
        throw new TesseraError(ErrorCode.Unsupported, `Schema \`${name}\` is read-only`);
      }
      if (!(await this.tables.store.getDatabase(catalog, name))) {
        if (ifExists) return false;
        throw new TesseraError(ErrorCode.DatabaseNotFound, `Database not found: ${name}`);
      }
      const procedure = await this.tables.procedures.begin<DropDatabaseData>(
        'drop-database',
        'mark-dropping',
        { catalog, name },
        databaseLockKeys(catalog, name),
      );
      await this.runDropDatabase(procedure);
      return true;
    });
  }

  /** The drop-database procedure from its recorded state (module comment). */
  private async runDropDatabase(start: ProcedureRecord<DropDatabaseData>): Promise<void> {
    let procedure = start;
    const { catalog, name } = procedure.data;
    const store = this.tables.store;
    if (procedure.state === 'mark-dropping') {
      const record = await store.getDatabase(catalog, name);
      if (record && !record.dropping) await store.putDatabase(catalog, { ...record, dropping: true });
      procedure = await this.tables.procedures.advance(procedure, 'drop-tables');
    }
    if (procedure.state === 'drop-tables') {
      try {
        let dropped = 0;
        for (const info of await this.tablesInDropOrder(catalog, name)) {
          await this.tables.dropTableInQueue(catalog, name, info.name, true);
          if (++dropped === 1) await faultPoint('drop-database:after-first-table', this.tables.logger);
        }
      } catch (error) {
        // The database stays, usable again, with the tables not dropped yet.
        const record = await store.getDatabase(catalog, name);
        if (record?.dropping) {
          const usable = { ...record };
          delete usable.dropping;
          await store.putDatabase(catalog, usable);
        }
        await this.tables.procedures.finish(procedure, 'Failed', asTesseraError(error).message);
        throw error;
      }
      procedure = await this.tables.procedures.advance(procedure, 'drop-metadata');
    }
    await store.deleteDatabase(catalog, name);
    await this.tables.procedures.finish(procedure);
  }

  /** The database's tables, metric logical tables and views first: a physical table refuses to go while they use it. */
  private async tablesInDropOrder(catalog: string, name: string): Promise<TableInfo[]> {
    const store = this.tables.store;
    const infos: TableInfo[] = [];
    for (const table of await store.listTableNames(catalog, name)) {
      const info = await store.getTable(catalog, name, table);
      if (info) infos.push(info);
    }
    const first = infos.filter((info) => info.physicalTable !== undefined || info.kind === 'view');
    return [...first, ...infos.filter((info) => !first.includes(info))];
  }

  /** The datanodes the database's tables have regions on (what a resumed drop waits for). */
  private async routeNodesOf({ catalog, name }: DropDatabaseData): Promise<number[]> {
    const nodes = new Set<number>();
    for (const info of await this.tablesInDropOrder(catalog, name)) {
      const route = (await this.tables.store.getRoute(info.tableId)) ?? {};
      for (const nodeId of Object.values(route)) nodes.add(nodeId);
    }
    return [...nodes];
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
