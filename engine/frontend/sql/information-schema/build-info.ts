/** `information_schema.build_info`: one row describing this build (GreptimeDB's columns). */
import { TESSERA_VERSION } from '../../../common/index.ts';
import { stringColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

export const buildInfoTable: SystemTable = {
  name: 'build_info',
  tableId: 8,
  columns: stringColumns('git_branch', 'git_commit', 'git_commit_short', 'git_clean', 'pkg_version'),
  // Tessera runs from source and does not stamp git details into the build.
  rows: () => [['', '', '', 'true', TESSERA_VERSION]],
};
