/**
 * How the frontends of one cluster see and stop each other's queries, for
 * `information_schema.process_list` and KILL (GreptimeDB's frontends do the same over gRPC):
 * `GET /internal/processes` lists this frontend's running statements, and
 * `POST /internal/processes/kill?id=N` stops statement N here. Callers prove they belong to the
 * cluster with its token (`x-tessera-cluster-token`), as nodes do towards metasrv; the paths
 * are outside `/v1/`, so users' credentials are not asked for.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { RunningStatement } from '../sql/information-schema/system-table.ts';
import { sendJson } from './http-reply.ts';

export const processesPath = '/internal/processes';
export const clusterTokenHeader = 'x-tessera-cluster-token';

/** This frontend's statements, for the other frontends. */
export interface ProcessesHandler {
  /** The cluster token callers must present. */
  token: string;
  list(): RunningStatement[];
  /** Stops statement `id`; false when none runs under that number. */
  kill(id: number): boolean;
}

export function isProcessesPath(path: string): boolean {
  return path === processesPath || path === `${processesPath}/kill`;
}

function holdsToken(request: IncomingMessage, token: string): boolean {
  const given = request.headers[clusterTokenHeader];
  if (typeof given !== 'string' || token === '') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function handleProcesses(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  handler: ProcessesHandler,
): void {
  if (!holdsToken(request, handler.token)) {
    throw new TesseraError(ErrorCode.Unauthorized, `${url.pathname} is for the frontends of this cluster`);
  }
  if (url.pathname === processesPath && request.method === 'GET') {
    sendJson(response, 200, { processes: handler.list() });
    return;
  }
  const id = Number(url.searchParams.get('id'));
  if (url.pathname === `${processesPath}/kill` && request.method === 'POST' && Number.isInteger(id) && id >= 0) {
    sendJson(response, 200, { killed: handler.kill(id) });
    return;
  }
  throw new TesseraError(ErrorCode.InvalidArguments, `${request.method} ${url.pathname}${url.search} is not supported`);
}
