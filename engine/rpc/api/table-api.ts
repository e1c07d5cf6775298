/**
 * The table channel: frontends ask metasrv to create, drop, find and list tables. metasrv owns
 * table metadata (DESIGN §3) and places each table's one region itself: it picks the alive
 * datanode with the fewest regions and sends `region.handle create` before it commits the
 * table, so a table that exists always has its region (docs/tables.md).
 *
 * Names arrive resolved (`catalog`, `schema`, `name`; unquoted names already lower-cased).
 */
import { stream, unary } from '../method.ts';
import { array, boolean, integer, object, optional, record, string } from '../schema.ts';
import type { Infer } from '../schema.ts';
import { regionRequestSchema, regionSchemaSchema } from './region-api.ts';

export const tableNameSchema = object({ catalog: string(), schema: string(), name: string() });
export type TableName = Infer<typeof tableNameSchema>;

/**
 * A table's partition rule as GreptimeDB shows it: the `PARTITION ON COLUMNS` list and one
 * SQL expression per region (`a >= 1000 AND a < 2000`), region number i being `exprs[i]`.
 * engine/partition parses and validates it; the text form keeps the wire and the stored
 * metadata free of a recursive expression schema.
 */
export const partitionSpecSchema = object({ columns: array(string()), exprs: array(string()) });
export type PartitionSpec = Infer<typeof partitionSpecSchema>;

/** What metasrv keeps about a table (`__meta/table/<catalog>/<schema>/<name>`). */
export const tableInfoSchema = object({
  tableId: integer(),
  catalog: string(),
  schema: string(),
  name: string(),
  /** The region schema: storage order (tags, time index, fields). */
  regionSchema: regionSchemaSchema,
  /** The column names in the order CREATE TABLE wrote them (what `SELECT *` and DESC show). */
  columnOrder: array(string()),
  /** Table options in their SQL spelling (`ttl`, `append_mode`, ...); also the region's. */
  options: record(string()),
  regionIds: array(integer()),
  /** Epoch ms. */
  createdAt: integer(),
  /** Column → its DEFAULT expression as SQL text (`0`, `'x'`, `current_timestamp()`). */
  defaults: optional(record(string())),
  /** Absent for a table with one region and no rule. */
  partition: optional(partitionSpecSchema),
  /** What the name is: a table (absent) or a view (`viewDefinition` holds its query). */
  kind: optional(string()),
  /** A view's query as written (`SELECT ...`) and its CREATE VIEW text. */
  viewDefinition: optional(string()),
  viewCreateText: optional(string()),
  /** The table engine as written (`metric`); absent = mito. */
  engine: optional(string()),
  /** A metric-engine logical table: the physical table it stores its rows in. */
  physicalTable: optional(string()),
  /** Column → its index clause as SHOW CREATE prints it (`FULLTEXT INDEX WITH(...)`). */
  columnIndexes: optional(record(string())),
  /**
   * Column → the FULLTEXT clause it had before `UNSET FULLTEXT INDEX`: GreptimeDB keeps the
   * analyzer and case sensitivity, and a later SET may not change them.
   */
  unsetFulltext: optional(record(string())),
  /** Column → its COMMENT. */
  columnComments: optional(record(string())),
});
export type TableInfo = Infer<typeof tableInfoSchema>;

/** Where a region lives: the datanode's id and its rpc address at the time of asking. */
export const regionPeerSchema = object({
  regionId: integer(),
  nodeId: integer(),
  addr: string(),
  /** True while the region hands over to another datanode and refuses writes (docs/region-migration.md). */
  downgraded: optional(boolean()),
});
export type RegionPeer = Infer<typeof regionPeerSchema>;

export const tableRouteSchema = object({ info: tableInfoSchema, peers: array(regionPeerSchema) });
export type TableRoute = Infer<typeof tableRouteSchema>;

export const createTableRequestSchema = object({
  catalog: string(),
  schema: string(),
  name: string(),
  ifNotExists: boolean(),
  regionSchema: regionSchemaSchema,
  columnOrder: array(string()),
  options: record(string()),
  defaults: optional(record(string())),
  /** One region per expression; validated again by metasrv. */
  partition: optional(partitionSpecSchema),
  /** The options the regions get (the ones the region engine acts on); absent = `options`. */
  regionOptions: optional(record(string())),
  /** Extra metadata stored as is (view, engine, index and comment fields of `TableInfo`). */
  extra: optional(
    object({
      kind: optional(string()),
      viewDefinition: optional(string()),
      viewCreateText: optional(string()),
      engine: optional(string()),
      physicalTable: optional(string()),
      columnIndexes: optional(record(string())),
      columnComments: optional(record(string())),
    }),
  ),
  /** A view or a metric logical table has no region of its own. */
  noRegions: optional(boolean()),
  /** CREATE OR REPLACE: an existing view of the name is replaced. */
  orReplace: optional(boolean()),
});
export type CreateTableRequest = Infer<typeof createTableRequestSchema>;

/**
 * Creates a table with one region, or one per partition expression. `created` is false when `ifNotExists` found the table
 * already there (then `table` is the existing one). TableAlreadyExists (4000) otherwise.
 */
export const createTable = unary(
  'table.create',
  createTableRequestSchema,
  object({ created: boolean(), table: tableRouteSchema }),
);

/** Drops a table: metadata first (the drop is then visible), then its regions, best effort. */
export const dropTable = unary(
  'table.drop',
  object({
    catalog: string(),
    schema: string(),
    name: string(),
    ifExists: boolean(),
    /** 'view' for DROP VIEW (only views); absent drops whatever the name is. */
    kind: optional(string()),
  }),
  object({ dropped: boolean() }),
);

/** One table and where its regions are; `table` absent when there is no such table. */
export const getTable = unary('table.get', tableNameSchema, object({ table: optional(tableRouteSchema) }));

/** The names of a database's tables, sorted. */
export const listTables = unary(
  'table.list',
  object({ catalog: string(), schema: string() }),
  object({ names: array(string()) }),
);

/**
 * Every table of a catalog (all its databases) with where its regions are, in one call: what
 * `information_schema` needs per statement without one `table.get` per table. A table whose
 * region has no datanode in its route is listed with no peer for that region.
 */
export const listTableRoutes = unary(
  'table.listRoutes',
  object({ catalog: string() }),
  object({ tables: array(tableRouteSchema) }),
);

/**
 * Creates a database (GreptimeDB's schema) in a catalog. `created` is false when
 * `ifNotExists` found it already there; otherwise an existing name is InvalidArguments (1004),
 * worded as GreptimeDB's `Schema <name> already exists`. `public` always exists.
 */
export const createDatabase = unary(
  'database.create',
  object({ catalog: string(), name: string(), ifNotExists: boolean(), options: record(string()) }),
  object({ created: boolean() }),
);

/** A database's record; `database` absent when there is none (built-in ones have empty options). */
export const getDatabase = unary(
  'database.get',
  object({ catalog: string(), name: string() }),
  object({ database: optional(object({ name: string(), options: record(string()), createdAt: integer() })) }),
);

/** ALTER DATABASE: sets and unsets options. DatabaseNotFound when it does not exist. */
export const alterDatabase = unary(
  'database.alter',
  object({ catalog: string(), name: string(), set: record(string()), unset: array(string()) }),
  object({}),
);

/** Drops a database and every table in it; false when it did not exist and `ifExists`. */
export const dropDatabase = unary(
  'database.drop',
  object({ catalog: string(), name: string(), ifExists: boolean() }),
  object({ dropped: boolean() }),
);

/** The names of a catalog's databases (including `public`), sorted; system schemas not listed. */
export const listDatabases = unary('database.list', object({ catalog: string() }), object({ names: array(string()) }));

/**
 * Alters a table: metasrv sends `regionRequests` (region alters the frontend built, one per
 * region) to the regions' datanodes, then stores `info` as the table's new metadata. `tableId`
 * must still be the table's (a table dropped and created again in between is not altered).
 * A different `info.name` renames the table (TableAlreadyExists when the name is taken).
 */
export const alterTable = unary(
  'table.alter',
  object({
    catalog: string(),
    schema: string(),
    name: string(),
    tableId: integer(),
    info: tableInfoSchema,
    regionRequests: array(regionRequestSchema),
  }),
  object({ table: tableRouteSchema }),
);
export type AlterTableRequest = Infer<typeof alterTable.request>;

/**
 * Table metadata changes as metasrv commits them, for frontends' route caches: first one item
 * with an empty key (the watch is in place: from here on no change is missed), then the
 * metadata key of every change (`__meta/table/<catalog>/<schema>/<name>`,
 * `__meta/table-route/<id>`, `__meta/database/...`, `__meta/node/...` when a node's address
 * changes). The stream lasts until the client stops it.
 */
export const watchCatalog = stream('catalog.watch', object({}), object({ key: string() }));

/**
 * TRUNCATE TABLE: metasrv empties every region of the table as a procedure (a resumed one
 * skips regions it already truncated, by the region's `lastTruncateId`). `tableId`, when
 * given, must still be the table's. TableNotFound when there is no such table.
 */
export const truncateTable = unary(
  'table.truncate',
  object({ catalog: string(), schema: string(), name: string(), tableId: optional(integer()) }),
  object({}),
);

/** One DDL procedure: running, or one of the last finished ones metasrv remembers. */
export const procedureSummarySchema = object({
  id: string(),
  /** Tessera's kind (`create-table`). */
  kind: string(),
  /** GreptimeDB's type name (`metasrv-procedure::CreateTable`). */
  type: string(),
  /** `Running`, `Done` or `Failed`. */
  status: string(),
  /** Epoch ms. */
  startedAt: integer(),
  /** Epoch ms; absent while running. */
  endedAt: optional(integer()),
  lockKeys: array(string()),
  error: optional(string()),
});
export type ProcedureSummaryWire = Infer<typeof procedureSummarySchema>;

/** The procedures metasrv remembers (the last ~100 finished, oldest first) and the running ones. */
export const listProcedures = unary(
  'procedure.list',
  object({}),
  object({ procedures: array(procedureSummarySchema) }),
);
