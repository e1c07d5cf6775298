/**
 * `ADMIN fn(args)` statements, as GreptimeDB runs them: each answers one row with one
 * column named after the statement. Region functions take a region id; table functions a
 * table name (`'cpu'`, `'db.cpu'`) and act on every region of the table.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { regionHandle } from '../../rpc/index.ts';
import type { Admin, FunctionArg } from '../../sql/index.ts';
import { parseSql } from '../../sql/index.ts';
import { handleRegion } from './region-access.ts';
import { regionPeersOf } from './metric-tables.ts';
import { requireTable, resolveTableName } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';

/** What ADMIN functions reach: metasrv, the datanodes, and the session's database. */
export interface AdminContext extends TableContext {
  database: string;
}

type AdminFunction = (args: readonly FunctionArg[], context: AdminContext) => Promise<number>;

function regionIdArgument(name: string, args: readonly FunctionArg[]): number {
  const [arg] = args;
  const value = args.length === 1 && arg?.kind === 'number' ? Number(arg.text) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TesseraError(ErrorCode.InvalidArguments, `${name} expects one region id, e.g. ${name}(4398046511104)`);
  }
  return value;
}

function tableNameArgument(name: string, args: readonly FunctionArg[]): string {
  const [arg] = args;
  if (args.length !== 1 || arg?.kind !== 'string') {
    throw new TesseraError(ErrorCode.InvalidArguments, `${name} expects one table name, e.g. ${name}('cpu')`);
  }
  return arg.value;
}

function regionAction(name: string, type: 'flush' | 'compact'): AdminFunction {
  return async (args, context) => {
    const regionId = regionIdArgument(name, args);
    const { client } = await context.datanodes.locateRegion(regionId);
    await client.call(regionHandle, { type, regionId });
    return 0;
  };
}

function tableAction(name: string, type: 'flush' | 'compact'): AdminFunction {
  return async (args, context) => {
    const written = tableNameArgument(name, args);
    // The name is parsed as SQL names are, so 'Cpu' finds cpu and '"Cpu"' finds Cpu.
    const [statement] = parseSql(`DESC TABLE ${written}`);
    if (statement?.kind !== 'describe-table') {
      throw new TesseraError(ErrorCode.InvalidArguments, `${name}: invalid table name '${written}'`);
    }
    const table = await requireTable(context, resolveTableName(statement.name, context.database), written);
    // A metric logical table has no region of its own: its rows are in the physical table's.
    for (const peer of await regionPeersOf(context, table)) {
      await handleRegion(context.datanodes, peer, { type, regionId: peer.regionId });
    }
    return 0;
  };
}

const adminFunctions: Record<string, AdminFunction> = {
  flush_region: regionAction('flush_region', 'flush'),
  compact_region: regionAction('compact_region', 'compact'),
  flush_table: tableAction('flush_table', 'flush'),
  compact_table: tableAction('compact_table', 'compact'),
};

/** Runs one ADMIN statement and returns its single value (0 for flush and compact). */
export async function runAdmin(statement: Admin, context: AdminContext): Promise<number> {
  const name = statement.call.name.parts.map((part) => part.value).join('.');
  const run = adminFunctions[name];
  if (!run) throw new TesseraError(ErrorCode.Unsupported, `Unsupported ADMIN function: ${name}`);
  return run(statement.call.args, context);
}
