/**
 * The name of an error code, as GreptimeDB prints a status code (`EngineExecuteQuery`,
 * `TableNotFound`): its MySQL server puts it in front of every error message.
 */
import { ErrorCode } from '../../common/index.ts';

const names = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));
// GreptimeDB's own name for its status code 1005.
names.set(ErrorCode.QueryCancelled, 'Cancelled');

export function statusName(code: number): string {
  return names.get(code) ?? 'Unknown';
}
