/** `pg_catalog.pg_trigger`: triggers; Tessera has none. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgTriggerTable = emptyTable(
  'pg_trigger',
  315,
  systemColumns(
    'oid Int32',
    'tgrelid Int32',
    'tgparentid Int32',
    'tgname String',
    'tgfoid Int32',
    'tgtype Int16',
    'tgenabled String',
    'tgisinternal Boolean',
    'tgconstrrelid Int32',
    'tgconstrindid Int32',
    'tgconstraint Int32',
    'tgdeferrable Boolean',
    'tginitdeferred Boolean',
    'tgnargs Int16',
    'tgattr String',
    'tgargs String',
    'tgqual String?',
    'tgoldtable String?',
    'tgnewtable String?',
  ),
);
