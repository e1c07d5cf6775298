/**
 * information_schema is read-only: DDL and writes that name it (or a table in it) fail as in
 * GreptimeDB, with Unsupported (1001): `Schema `information_schema` is read-only`, and for
 * DELETE `Cannot change read-only table: <name>`.
 */
import { ErrorCode, TesseraError } from '../../../common/index.ts';
import type { ObjectName, Statement } from '../../../sql/index.ts';
import { informationSchemaName } from './catalog-tables.ts';

function schemaOf(name: ObjectName, database: string): string {
  const parts = name.parts.map((part) => part.value);
  return parts.length >= 2 ? parts[parts.length - 2]! : database;
}

const readOnly = () => new TesseraError(ErrorCode.Unsupported, `Schema \`${informationSchemaName}\` is read-only`);

/** Throws when `statement` would change information_schema. */
export function assertNotReadOnly(statement: Statement, database: string): void {
  const inSystemSchema = (name: ObjectName) => schemaOf(name, database).toLowerCase() === informationSchemaName;
  switch (statement.kind) {
    case 'create-table':
    case 'alter-table':
      if (inSystemSchema(statement.name)) throw readOnly();
      return;
    case 'truncate':
    case 'insert':
      if (inSystemSchema(statement.table)) throw readOnly();
      return;
    case 'drop':
      if (statement.objectType === 'DATABASE') {
        const named = statement.names.some((name) => name.parts.at(-1)?.value.toLowerCase() === informationSchemaName);
        if (named) throw readOnly();
      } else if (statement.names.some(inSystemSchema)) throw readOnly();
      return;
    case 'delete':
      if (inSystemSchema(statement.table)) {
        const table = statement.table.parts.at(-1)?.value ?? '';
        throw new TesseraError(ErrorCode.Unsupported, `Cannot change read-only table: ${table}`);
      }
      return;
    default:
      return;
  }
}
