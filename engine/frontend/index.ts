/**
 * frontend: the protocol servers (HTTP now; PostgreSQL, MySQL, ingestion later) and,
 * as the query issues land, the catalog cache, write routing and distributed planning.
 */
export { Frontend } from './frontend.ts';
export type { FrontendOptions, StatusDocument } from './frontend.ts';
export type { SqlHandler, SqlOutput } from './http/handle-sql.ts';
export { userProviderFromOption } from './http/user-provider.ts';
export type { UserProvider } from './http/user-provider.ts';
export {
  decodeReadResponse,
  encodeWriteRequest,
  remoteReadBody,
  remoteWriteBody,
} from './ingest/remote-write-encoder.ts';
export { snappyDecompress } from './ingest/snappy.ts';
