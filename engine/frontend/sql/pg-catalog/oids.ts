/**
 * Object identifiers of what pg_catalog lists. PostgreSQL clients join catalogs by OID
 * (`pg_class.relnamespace = pg_namespace.oid`, `pg_attribute.attrelid = pg_class.oid`) and keep
 * OIDs between queries (DBeaver, `'t'::regclass`), so they must be the same on every frontend
 * and after a restart: a relation's OID is its table id, a namespace's is PostgreSQL's own for
 * `pg_catalog` (11, which pg_type's rows name) and `public` (2200), and otherwise a hash of the
 * name above PostgreSQL's reserved range (16384).
 */
import type { CatalogTable } from '../information-schema/catalog-tables.ts';

export const pgCatalogName = 'pg_catalog';

const fixedNamespaceOids: Record<string, number> = { pg_catalog: 11, public: 2200 };

/** FNV-1a of the name's UTF-16 units, as an OID in [16384, 2^31). */
function nameHashOid(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 16384 + (hash % (0x80000000 - 16384));
}

export function namespaceOid(schema: string): number {
  return fixedNamespaceOids[schema] ?? nameHashOid(schema);
}

export function relationOid(table: Pick<CatalogTable, 'tableId'>): number {
  return table.tableId;
}

/** The OID of the catalog (pg_database's one row per catalog, plus `postgres`). */
export function databaseOid(name: string): number {
  return nameHashOid(`database:${name}`);
}

/** `postgres`, the owner every object reports (pg_get_userbyid answers its name). */
export const ownerOid = 10;

export interface PgColumnType {
  oid: number;
  len: number;
  byval: boolean;
  align: string;
  storage: string;
}

const pgTypes: Record<string, PgColumnType> = {
  bool: { oid: 16, len: 1, byval: true, align: 'c', storage: 'p' },
  char: { oid: 18, len: 1, byval: true, align: 'c', storage: 'p' },
  int2: { oid: 21, len: 2, byval: true, align: 's', storage: 'p' },
  int4: { oid: 23, len: 4, byval: true, align: 'i', storage: 'p' },
  int8: { oid: 20, len: 8, byval: true, align: 'd', storage: 'p' },
  float4: { oid: 700, len: 4, byval: true, align: 'i', storage: 'p' },
  float8: { oid: 701, len: 8, byval: true, align: 'd', storage: 'p' },
  text: { oid: 25, len: -1, byval: false, align: 'i', storage: 'x' },
  bytea: { oid: 17, len: -1, byval: false, align: 'i', storage: 'x' },
  date: { oid: 1082, len: 4, byval: true, align: 'i', storage: 'p' },
  timestamp: { oid: 1114, len: 8, byval: true, align: 'd', storage: 'p' },
  numeric: { oid: 1700, len: -1, byval: false, align: 'i', storage: 'm' },
};

/**
 * The PostgreSQL type of a column of GreptimeDB type `greptimeType` in pg_attribute, as
 * GreptimeDB maps Arrow types (the widening for unsigned integers; text for the rest).
 */
export function pgColumnType(greptimeType: string): PgColumnType {
  if (greptimeType.startsWith('Timestamp')) return pgTypes.timestamp!;
  if (greptimeType.startsWith('Decimal')) return pgTypes.numeric!;
  const names: Record<string, string> = {
    Boolean: 'bool',
    Int8: 'char',
    Int16: 'int2',
    UInt8: 'int2',
    Int32: 'int4',
    UInt16: 'int4',
    Int64: 'int8',
    UInt32: 'int8',
    UInt64: 'int8',
    Float32: 'float4',
    Float64: 'float8',
    String: 'text',
    Binary: 'bytea',
    Date: 'date',
  };
  return pgTypes[names[greptimeType] ?? 'text']!;
}
