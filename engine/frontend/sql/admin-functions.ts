/**
 * `ADMIN fn(args)` statements, as GreptimeDB runs them: each answers one row with one
 * column named after the statement. Region functions take a region id; table functions a
 * table name (`'cpu'`, `'db.cpu'`) and act on every region of the table.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { migrateRegion, procedureState, regionHandle } from '../../rpc/index.ts';
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

/** What an ADMIN function answers: a count (UInt64 column) or text (String column). */
type AdminFunction = (args: readonly FunctionArg[], context: AdminContext) => Promise<number | string>;

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

const migrateRegionUsage = 'migrate_region(region_id, from_peer_id, to_peer_id[, replay_timeout_secs])';

/** Starts moving a region to another datanode (docs/region-migration.md); answers the procedure id. */
const migrateRegionFunction: AdminFunction = async (args, context) => {
  if (args.length < 3 || args.length > 4) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `The length of the args is not correct, expect exactly 3 or 4, have: ${args.length} (${migrateRegionUsage})`,
    );
  }
  const [regionId, fromPeerId, toPeerId, replayTimeoutSecs] = args.map((arg, index) => {
    const value = arg.kind === 'number' ? Number(arg.text) : NaN;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `migrate_region argument ${index + 1} must be a non-negative integer: ${migrateRegionUsage}`,
      );
    }
    return value;
  });
  const { procedureId } = await context.metasrv.call(
    migrateRegion,
    {
      regionId: regionId!,
      fromPeerId: fromPeerId!,
      toPeerId: toPeerId!,
      ...(replayTimeoutSecs === undefined ? {} : { replayTimeoutSecs }),
    },
    { deadlineMs: 30_000 },
  );
  return procedureId;
};

/** A procedure's state as GreptimeDB's JSON text: `{"status":"Done"}`, `{"status":"Failed","error":"..."}`. */
const procedureStateFunction: AdminFunction = async (args, context) => {
  const [arg] = args;
  if (args.length !== 1 || arg?.kind !== 'string') {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `procedure_state expects one procedure id, e.g. procedure_state('region-migration-…'); have ${args.length} arguments`,
    );
  }
  const state = await context.metasrv.call(procedureState, { procedureId: arg.value }, { deadlineMs: 10_000 });
  return JSON.stringify(state.error === undefined ? { status: state.status } : state);
};

const adminFunctions: Record<string, AdminFunction> = {
  flush_region: regionAction('flush_region', 'flush'),
  compact_region: regionAction('compact_region', 'compact'),
  flush_table: tableAction('flush_table', 'flush'),
  compact_table: tableAction('compact_table', 'compact'),
  migrate_region: migrateRegionFunction,
  procedure_state: procedureStateFunction,
};

/** Runs one ADMIN statement and returns its single value (0 for flush and compact, text for the others). */
export async function runAdmin(statement: Admin, context: AdminContext): Promise<number | string> {
  const name = statement.call.name.parts.map((part) => part.value).join('.');
  const run = adminFunctions[name];
  if (!run) throw new TesseraError(ErrorCode.Unsupported, `Unsupported ADMIN function: ${name}`);
  return run(statement.call.args, context);
}
