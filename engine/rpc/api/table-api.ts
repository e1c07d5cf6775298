/**
 * The table channel: frontends ask metasrv to create, drop, find and list tables. metasrv owns
 * table metadata (DESIGN §3) and places each table's one region itself: it picks the alive
 * datanode with the fewest regions and sends `region.handle create` before it commits the
 * table, so a table that exists always has its region (docs/tables.md).
 *
 * Names arrive resolved (`catalog`, `schema`, `name`; unquoted names already lower-cased).
 */
import { unary } from '../method.ts';
import { array, boolean, integer, object, optional, record, string } from '../schema.ts';
import type { Infer } from '../schema.ts';
import { regionRequestSchema, regionSchemaSchema } from './region-api.ts';

export const tableNameSchema = object({ catalog: string(), schema: string(), name: string() });
export type TableName = Infer<typeof tableNameSchema>;

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
});
export type TableInfo = Infer<typeof tableInfoSchema>;

/** Where a region lives: the datanode's id and its rpc address at the time of asking. */
export const regionPeerSchema = object({ regionId: integer(), nodeId: integer(), addr: string() });
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
});
export type CreateTableRequest = Infer<typeof createTableRequestSchema>;

/**
 * Creates a table with one region. `created` is false when `ifNotExists` found the table
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
  object({ catalog: string(), schema: string(), name: string(), ifExists: boolean() }),
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
 * Creates a database (GreptimeDB's schema) in a catalog. `created` is false when
 * `ifNotExists` found it already there; otherwise an existing name is InvalidArguments (1004),
 * worded as GreptimeDB's `Schema <name> already exists`. `public` always exists.
 */
export const createDatabase = unary(
  'database.create',
  object({ catalog: string(), name: string(), ifNotExists: boolean(), options: record(string()) }),
  object({ created: boolean() }),
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
