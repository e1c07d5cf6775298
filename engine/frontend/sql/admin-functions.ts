/**
 * `ADMIN fn(args)` statements, as GreptimeDB runs them: each answers one row with one
 * column named after the statement. Region functions work now; the table ones need the
 * catalog that comes with the SQL engine.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { regionHandle } from '../../rpc/index.ts';
import type { Admin, FunctionArg } from '../../sql/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';

type AdminFunction = (args: readonly FunctionArg[], datanodes: DatanodeDirectory) => Promise<number>;

function regionIdArgument(name: string, args: readonly FunctionArg[]): number {
  const [arg] = args;
  const value = args.length === 1 && arg?.kind === 'number' ? Number(arg.text) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TesseraError(ErrorCode.InvalidArguments, `${name} expects one region id, e.g. ${name}(4398046511104)`);
  }
  return value;
}

function regionAction(name: string, type: 'flush' | 'compact'): AdminFunction {
  return async (args, datanodes) => {
    const regionId = regionIdArgument(name, args);
    const { client } = await datanodes.locateRegion(regionId);
    await client.call(regionHandle, { type, regionId });
    return 0;
  };
}

function needsTables(name: string): AdminFunction {
  return async () => {
    throw new TesseraError(
      ErrorCode.Unsupported,
      `${name} needs tables, which this build of Tessera cannot create yet; ${name.replace('table', 'region')}(region_id) works`,
    );
  };
}

const adminFunctions: Record<string, AdminFunction> = {
  flush_region: regionAction('flush_region', 'flush'),
  compact_region: regionAction('compact_region', 'compact'),
  flush_table: needsTables('flush_table'),
  compact_table: needsTables('compact_table'),
};

/** Runs one ADMIN statement and returns its single value (0 for flush and compact). */
export async function runAdmin(statement: Admin, datanodes: DatanodeDirectory): Promise<number> {
  const name = statement.call.name.parts.map((part) => part.value).join('.');
  const run = adminFunctions[name];
  if (!run) throw new TesseraError(ErrorCode.Unsupported, `Unsupported ADMIN function: ${name}`);
  return run(statement.call.args, datanodes);
}
