/**
 * The PostgreSQL catalog functions GreptimeDB registers so that psql, DBeaver and drivers can
 * read `pg_catalog`. Most are placeholders there too: privileges are always granted, comments
 * are NULL, sizes are 0, every relation is visible and owned by `postgres`. The ones with real
 * answers: current_schemas() (GreptimeDB's fixed search path), format_type() (type names by
 * OID), quote_ident() and pg_encoding_to_char(). Session-bound ones (current_database(),
 * session_user(), version()) are in session-functions.ts.
 *
 * current_schemas() returns the array as PostgreSQL prints it (`{public,...}`), as text: the
 * engine has no list type yet.
 */
import type { Column } from '../column.ts';
import { constantColumn } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import type { ScalarFunction } from './function.ts';
import { expectArgCount, mapRows, noMatchingSignature } from './helpers.ts';

/** A function of `min..max` arguments of any type whose value does not depend on them. */
function constantFunction(
  name: string,
  signature: string,
  type: SqlType,
  value: string | number | boolean | null,
  min: number,
  max = min,
): ScalarFunction {
  return {
    name,
    signature,
    returnType(args) {
      expectArgCount(name, args, min, max);
      return type;
    },
    evaluate(_args, length) {
      return constantColumn(type, value, length);
    },
  };
}

/** A function mapping each row of its first argument (nulls stay null) by `fn`. */
function rowFunction(
  name: string,
  signature: string,
  type: SqlType,
  min: number,
  max: number,
  fn: (values: unknown[]) => string | number | boolean | null,
): ScalarFunction {
  return {
    name,
    signature,
    returnType(args) {
      expectArgCount(name, args, min, max);
      return type;
    },
    evaluate(args, length) {
      return mapRows([args[0]!], length, type, (_columns, row) => args.map((arg) => valueAt(arg, row)), fn);
    },
  };
}

function valueAt(column: Column, row: number): unknown {
  if (column.type === 'Null' || (column.valid !== null && column.valid[row] === 0)) return null;
  return (column.values as ArrayLike<unknown>)[row];
}

const searchPath = ['public', 'information_schema', 'pg_catalog', 'greptime_private'];

const currentSchemas: ScalarFunction = {
  name: 'current_schemas',
  signature: 'current_schemas(Boolean) -> Utf8',
  returnType(args) {
    if (args.length !== 1 || (args[0] !== 'Boolean' && args[0] !== 'Null')) {
      throw noMatchingSignature('current_schemas', args);
    }
    return 'Utf8';
  },
  // GreptimeDB lists `public` whatever the session's schema; the implicit ones only when asked.
  evaluate(args, length) {
    return mapRows(
      args,
      length,
      'Utf8',
      (columns, row) => valueAt(columns[0]!, row),
      (implicit) => (implicit ? `{${searchPath.join(',')}}` : '{public}'),
    );
  },
};

/** PostgreSQL's names for the type OIDs pg_type and pg_attribute report (format_type's answer). */
export const postgresTypeNames: Record<number, string> = {
  16: 'boolean',
  17: 'bytea',
  18: '"char"',
  19: 'name',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  26: 'oid',
  114: 'json',
  700: 'real',
  701: 'double precision',
  1043: 'character varying',
  1082: 'date',
  1083: 'time without time zone',
  1114: 'timestamp without time zone',
  1184: 'timestamp with time zone',
  1186: 'interval',
  1700: 'numeric',
  3802: 'jsonb',
};

const formatType = rowFunction(
  'format_type',
  'format_type(oid, typmod) -> Utf8',
  'Utf8',
  2,
  2,
  ([oid]) => postgresTypeNames[Number(oid)] ?? '???',
);

/** Names PostgreSQL prints without quotes: lower-case letters, digits, `_`, `$`, not starting with a digit. */
const plainIdentifier = /^[a-z_][a-z0-9_$]*$/;

const quoteIdent = rowFunction('quote_ident', 'quote_ident(Utf8) -> Utf8', 'Utf8', 1, 1, ([text]) => {
  const name = String(text);
  return plainIdentifier.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
});

const encodingToChar = rowFunction(
  'pg_encoding_to_char',
  'pg_encoding_to_char(Int32) -> Utf8',
  'Utf8',
  1,
  1,
  // 6 is UTF8, the only encoding pg_database reports.
  ([encoding]) => (Number(encoding) === 6 ? 'UTF-8' : null),
);

const privilegeFunctions = [
  'has_table_privilege',
  'has_schema_privilege',
  'has_database_privilege',
  'has_any_column_privilege',
].map((name) => constantFunction(name, `${name}([user,] object, privilege) -> Boolean`, 'Boolean', true, 2, 3));

/** These functions, registered by registry.ts. */
export const postgresFunctions: ScalarFunction[] = [
  currentSchemas,
  formatType,
  quoteIdent,
  encodingToChar,
  ...privilegeFunctions,
  constantFunction('pg_get_userbyid', 'pg_get_userbyid(oid) -> Utf8', 'Utf8', 'postgres', 1),
  constantFunction('pg_table_is_visible', 'pg_table_is_visible(oid) -> Boolean', 'Boolean', true, 1),
  constantFunction('pg_get_expr', 'pg_get_expr(Utf8, oid [, Boolean]) -> Utf8', 'Utf8', '', 2, 3),
  constantFunction('pg_get_partkeydef', 'pg_get_partkeydef(oid) -> Utf8', 'Utf8', '', 1),
  constantFunction('pg_get_constraintdef', 'pg_get_constraintdef(oid [, Boolean]) -> Utf8', 'Utf8', '', 1, 2),
  constantFunction('pg_relation_is_publishable', 'pg_relation_is_publishable(oid) -> Boolean', 'Boolean', true, 1),
  constantFunction('pg_get_statisticsobjdef_columns', 'pg_get_statisticsobjdef_columns(oid) -> Utf8', 'Utf8', null, 1),
  constantFunction('pg_relation_size', 'pg_relation_size(oid) -> Int32', 'Int32', 0, 1),
  constantFunction('pg_total_relation_size', 'pg_total_relation_size(oid) -> Int32', 'Int32', 0, 1),
  constantFunction('pg_stat_get_numscans', 'pg_stat_get_numscans(oid) -> Int32', 'Int32', 0, 1),
  rowFunction('pg_partition_ancestors', 'pg_partition_ancestors(Utf8) -> Utf8', 'Utf8', 1, 1, ([name]) => String(name)),
  constantFunction('obj_description', 'obj_description(oid [, Utf8]) -> Utf8', 'Utf8', null, 1, 2),
  constantFunction('col_description', 'col_description(oid, Int32) -> Utf8', 'Utf8', null, 2),
  constantFunction('shobj_description', 'shobj_description(oid, Utf8) -> Utf8', 'Utf8', null, 2),
  // No temporary schemas: 0, which no namespace has.
  constantFunction('pg_my_temp_schema', 'pg_my_temp_schema() -> UInt32', 'UInt32', 0, 0),
];
