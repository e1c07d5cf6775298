/** `pg_catalog.pg_am`: PostgreSQL's built-in access methods (psql's `\dt` joins it for `relam`). */
import { systemColumns } from '../information-schema/system-table.ts';
import type { SystemTable } from '../information-schema/system-table.ts';

export const pgAmTable: SystemTable = {
  name: 'pg_am',
  tableId: 257,
  columns: systemColumns('oid Int32', 'amname String', 'amhandler String', 'amtype String'),
  rows: () => [
    [2, 'heap', 'heap_tableam_handler', 't'],
    [403, 'btree', 'bthandler', 'i'],
    [405, 'hash', 'hashhandler', 'i'],
    [783, 'gist', 'gisthandler', 'i'],
    [2742, 'gin', 'ginhandler', 'i'],
    [4000, 'spgist', 'spghandler', 'i'],
    [3580, 'brin', 'brinhandler', 'i'],
  ],
};
