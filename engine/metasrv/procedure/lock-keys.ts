/**
 * What a procedure locks, spelled as GreptimeDB spells its lock keys (`__catalog_lock/greptime`,
 * `__schema_lock/greptime.public`, `__table_name_lock/greptime.public.t`, `__table_lock/1024`),
 * and its type name as GreptimeDB's `procedure_info` shows it. Tessera runs DDL one at a time,
 * so the keys only describe the procedure; nothing waits on them.
 */

export function databaseLockKeys(catalog: string, schema: string): string[] {
  return [`__catalog_lock/${catalog}`, `__schema_lock/${catalog}.${schema}`];
}

/** A DDL on a table: the catalog and database (shared), the name, and the table id when it has one. */
export function tableLockKeys(catalog: string, schema: string, name: string, tableId?: number): string[] {
  return [
    ...databaseLockKeys(catalog, schema),
    `__table_name_lock/${catalog}.${schema}.${name}`,
    ...(tableId === undefined ? [] : [`__table_lock/${tableId}`]),
  ];
}

/** `create-table` → `metasrv-procedure::CreateTable`. */
export function procedureTypeName(kind: string): string {
  const pascal = kind
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
  return `metasrv-procedure::${pascal}`;
}
