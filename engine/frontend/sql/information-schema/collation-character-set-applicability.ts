/** `information_schema.collation_character_set_applicability`: utf8_bin applies to utf8. */
import { stringColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

export const collationCharacterSetApplicabilityTable: SystemTable = {
  name: 'collation_character_set_applicability',
  tableId: 11,
  columns: stringColumns('collation_name', 'character_set_name'),
  rows: () => [['utf8_bin', 'utf8']],
};
