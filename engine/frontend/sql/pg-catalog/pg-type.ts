/**
 * `pg_catalog.pg_type`: the PostgreSQL base types Tessera's columns and results map to (and
 * the few every client looks up: name, oid, char), with PostgreSQL's own OIDs and attributes.
 * GreptimeDB ships a dump of all of a PostgreSQL 17's 600-odd types here; Tessera lists the
 * base types only, so a client's join from a column's `atttypid` finds its type.
 */
import { systemColumns } from '../information-schema/system-table.ts';
import type { SystemRow, SystemTable } from '../information-schema/system-table.ts';
import { ownerOid } from './oids.ts';

interface BaseType {
  oid: number;
  name: string;
  len: number;
  byval: boolean;
  category: string;
  preferred: boolean;
  arrayOid: number;
  /** How the I/O functions are named: `boolin` (''), `date_in` ('_'). */
  ioSeparator: '' | '_';
  align: string;
  storage: string;
  collation?: number;
  /** Whether the type takes a modifier (`varchar(10)`): `<name>typmodin` / `<name>typmodout`. */
  typmod?: boolean;
  subscript?: string;
  elem?: number;
}

// prettier-ignore
const baseTypes: BaseType[] = [
  { oid: 16, name: 'bool', len: 1, byval: true, category: 'B', preferred: true, arrayOid: 1000, ioSeparator: '', align: 'c', storage: 'p' },
  { oid: 17, name: 'bytea', len: -1, byval: false, category: 'U', preferred: false, arrayOid: 1001, ioSeparator: '', align: 'i', storage: 'x' },
  { oid: 18, name: 'char', len: 1, byval: true, category: 'Z', preferred: false, arrayOid: 1002, ioSeparator: '', align: 'c', storage: 'p' },
  { oid: 19, name: 'name', len: 64, byval: false, category: 'S', preferred: false, arrayOid: 1003, ioSeparator: '', align: 'c', storage: 'p', collation: 950, subscript: 'raw_array_subscript_handler', elem: 18 },
  { oid: 20, name: 'int8', len: 8, byval: true, category: 'N', preferred: false, arrayOid: 1016, ioSeparator: '', align: 'd', storage: 'p' },
  { oid: 21, name: 'int2', len: 2, byval: true, category: 'N', preferred: false, arrayOid: 1005, ioSeparator: '', align: 's', storage: 'p' },
  { oid: 23, name: 'int4', len: 4, byval: true, category: 'N', preferred: false, arrayOid: 1007, ioSeparator: '', align: 'i', storage: 'p' },
  { oid: 25, name: 'text', len: -1, byval: false, category: 'S', preferred: true, arrayOid: 1009, ioSeparator: '', align: 'i', storage: 'x', collation: 100 },
  { oid: 26, name: 'oid', len: 4, byval: true, category: 'N', preferred: true, arrayOid: 1028, ioSeparator: '', align: 'i', storage: 'p' },
  { oid: 114, name: 'json', len: -1, byval: false, category: 'U', preferred: false, arrayOid: 199, ioSeparator: '_', align: 'i', storage: 'x' },
  { oid: 700, name: 'float4', len: 4, byval: true, category: 'N', preferred: false, arrayOid: 1021, ioSeparator: '', align: 'i', storage: 'p' },
  { oid: 701, name: 'float8', len: 8, byval: true, category: 'N', preferred: true, arrayOid: 1022, ioSeparator: '', align: 'd', storage: 'p' },
  { oid: 1043, name: 'varchar', len: -1, byval: false, category: 'S', preferred: false, arrayOid: 1015, ioSeparator: '', align: 'i', storage: 'x', collation: 100, typmod: true },
  { oid: 1082, name: 'date', len: 4, byval: true, category: 'D', preferred: false, arrayOid: 1182, ioSeparator: '_', align: 'i', storage: 'p' },
  { oid: 1083, name: 'time', len: 8, byval: true, category: 'D', preferred: false, arrayOid: 1183, ioSeparator: '_', align: 'd', storage: 'p', typmod: true },
  { oid: 1114, name: 'timestamp', len: 8, byval: true, category: 'D', preferred: false, arrayOid: 1115, ioSeparator: '_', align: 'd', storage: 'p', typmod: true },
  { oid: 1184, name: 'timestamptz', len: 8, byval: true, category: 'D', preferred: true, arrayOid: 1185, ioSeparator: '_', align: 'd', storage: 'p', typmod: true },
  { oid: 1186, name: 'interval', len: 16, byval: false, category: 'T', preferred: true, arrayOid: 1187, ioSeparator: '_', align: 'd', storage: 'p', typmod: true },
  { oid: 1700, name: 'numeric', len: -1, byval: false, category: 'N', preferred: false, arrayOid: 1231, ioSeparator: '_', align: 'i', storage: 'm', typmod: true },
  { oid: 3802, name: 'jsonb', len: -1, byval: false, category: 'U', preferred: false, arrayOid: 3807, ioSeparator: '_', align: 'i', storage: 'x', subscript: 'jsonb_subscript_handler' },
];

function typeRow(type: BaseType): SystemRow {
  const io = (suffix: string) => `${type.name}${type.ioSeparator}${suffix}`;
  return [
    type.oid,
    type.name,
    // pg_catalog's namespace
    11,
    ownerOid,
    type.len,
    type.byval,
    'b',
    type.category,
    type.preferred,
    true,
    ',',
    0,
    type.subscript ?? '-',
    type.elem ?? 0,
    type.arrayOid,
    io('in'),
    io('out'),
    io('recv'),
    io('send'),
    type.typmod ? `${type.name}typmodin` : '-',
    type.typmod ? `${type.name}typmodout` : '-',
    '-',
    type.align,
    type.storage,
    false,
    0,
    -1,
    0,
    type.collation ?? 0,
    null,
    null,
    null,
  ];
}

/** What `'name'::regtype` accepts besides the type names: SQL's spellings. */
const typeAliases: Record<string, string> = {
  boolean: 'bool',
  bigint: 'int8',
  smallint: 'int2',
  int: 'int4',
  integer: 'int4',
  real: 'float4',
  'double precision': 'float8',
  'character varying': 'varchar',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
};

const oidsByName = new Map(baseTypes.map((type) => [type.name, type.oid]));

/** The OID of the type `name` (`'timestamp'::regtype`); 0 when pg_type does not list it. */
export function pgTypeOid(name: string): number {
  return oidsByName.get(typeAliases[name] ?? name) ?? 0;
}

export const pgTypeTable: SystemTable = {
  name: 'pg_type',
  tableId: 273,
  columns: systemColumns(
    'oid Int32',
    'typname String',
    'typnamespace Int32',
    'typowner Int32',
    'typlen Int16',
    'typbyval Boolean',
    'typtype String',
    'typcategory String',
    'typispreferred Boolean',
    'typisdefined Boolean',
    'typdelim String',
    'typrelid Int32',
    'typsubscript String',
    'typelem Int32',
    'typarray Int32',
    'typinput String',
    'typoutput String',
    'typreceive String',
    'typsend String',
    'typmodin String',
    'typmodout String',
    'typanalyze String',
    'typalign String',
    'typstorage String',
    'typnotnull Boolean',
    'typbasetype Int32',
    'typtypmod Int32',
    'typndims Int32',
    'typcollation Int32',
    'typdefaultbin String?',
    'typdefault String?',
    'typacl String?',
  ),
  rows: () => baseTypes.map(typeRow),
};
