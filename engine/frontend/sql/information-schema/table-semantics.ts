/**
 * `information_schema.table_semantics`: the tables that declare `greptime.semantic.*`
 * options, the well-known ones promoted to columns and the rest as a JSON object (key
 * without the prefix).
 */
import { systemColumns } from './system-table.ts';
import type { SystemRow, SystemTable } from './system-table.ts';

const prefix = 'greptime.semantic.';
const promoted: Record<string, number> = {
  signal_type: 0,
  source: 1,
  source_version: 2,
  pipeline: 3,
  'metric.metadata_quality': 4,
};

export const tableSemanticsTable: SystemTable = {
  name: 'table_semantics',
  tableId: 42,
  columns: systemColumns(
    'table_catalog String',
    'table_schema String',
    'table_name String',
    'table_id UInt32',
    'signal_type String?',
    'source String?',
    'source_version String?',
    'pipeline String?',
    'metadata_quality String?',
    'semantic_options String?',
  ),
  rows: async (context) => {
    const rows: SystemRow[] = [];
    for (const { info } of await context.tables()) {
      const semantic = Object.entries(info.options).filter(([key]) => key.startsWith(prefix));
      if (semantic.length === 0) continue;
      const values: (string | null)[] = [null, null, null, null, null];
      const rest: Record<string, string> = {};
      for (const [key, value] of semantic.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const name = key.slice(prefix.length);
        const index = promoted[name];
        if (index === undefined) rest[name] = value;
        else values[index] = value;
      }
      const options = Object.keys(rest).length > 0 ? JSON.stringify(rest) : null;
      rows.push([info.catalog, info.schema, info.name, info.tableId, ...values, options]);
    }
    return rows;
  },
};
