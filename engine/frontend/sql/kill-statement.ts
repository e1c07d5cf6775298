/**
 * `KILL '<frontend address>/<number>'` (GreptimeDB's process id, from process_list) and
 * MySQL's `KILL QUERY <connection id>`: stops a statement running on this frontend. As in
 * GreptimeDB the answer is `affectedrows` 1 when a statement was stopped and 0 when none runs
 * under that number; a malformed id is InvalidArguments, an address that is no frontend of the
 * cluster is GreptimeDB's "Failed to find frontend node". A query of another frontend is
 * stopped through that frontend (`peer-frontends.ts`); a handler made without peers answers
 * Unsupported, naming the frontend to send the KILL to.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { Kill } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import type { PeerFrontends } from './peer-frontends.ts';
import type { ProcessRegistry } from './process-registry.ts';

/** A GreptimeDB process id, `host:port/number`. */
export interface ProcessId {
  serverAddr: string;
  id: number;
}

const maxId = 0xffffffff;

function invalidId(text: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Invalid process id: ${text}`);
}

function parseNumber(text: string, whole: string): number {
  if (!/^\d+$/.test(text)) throw invalidId(whole);
  const id = Number(text);
  if (id > maxId) throw invalidId(whole);
  return id;
}

/** Parses `host:port/number`, as GreptimeDB's `DisplayProcessId` does. */
export function parseProcessId(text: string): ProcessId {
  const slash = text.lastIndexOf('/');
  if (slash <= 0) throw invalidId(text);
  return { serverAddr: text.slice(0, slash), id: parseNumber(text.slice(slash + 1), text) };
}

export interface KillContext {
  processes: ProcessRegistry;
  /** `host:port` of every frontend of the cluster. */
  frontendAddrs(): Promise<string[]>;
  /** The other frontends; without them a query of another frontend cannot be stopped from here. */
  peers?: PeerFrontends;
}

export async function runKill(statement: Kill, context: KillContext): Promise<SqlOutput> {
  const target = statement.target.trim();
  const local = context.processes.serverAddr;
  // A bare number is a number of this frontend (MySQL's connection id).
  const processId = /^\d+$/.test(target)
    ? { serverAddr: local, id: parseNumber(target, target) }
    : parseProcessId(target);
  if (processId.serverAddr !== local) {
    const frontends = await context.frontendAddrs();
    if (!frontends.includes(processId.serverAddr)) {
      throw new TesseraError(ErrorCode.Unexpected, `Failed to find frontend node: ${processId.serverAddr}`);
    }
    if (context.peers) return { affectedrows: (await context.peers.kill(processId.serverAddr, processId.id)) ? 1 : 0 };
    throw new TesseraError(
      ErrorCode.Unsupported,
      `Process ${target} runs on frontend ${processId.serverAddr}; this frontend (${local}) kills only its own queries, send the KILL to ${processId.serverAddr}`,
    );
  }
  return { affectedrows: context.processes.kill(processId.id) ? 1 : 0 };
}
