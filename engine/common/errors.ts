/**
 * The one error type of the engine. Codes are numeric and ranged by area, and never reused:
 *
 *   1xxx common (bad argument, internal, unsupported, auth)
 *   2xxx SQL syntax
 *   3xxx planning and execution
 *   4xxx catalog and region
 *   5xxx storage
 *   6xxx cluster and rpc (connection, deadline, cancellation, nodes)
 *
 * Where GreptimeDB has a status code for the same thing (its `common/error/src/status_code.rs`:
 * 1000–1004, 2000, 3000–3001, 4000–4009) the number is GreptimeDB's, because users and its
 * test suite see them; 1005 is GreptimeDB's Cancelled, so "not supported yet" is 1001.
 *
 * Errors cross process boundaries as `{ code, message, retryable }` (see `toWire`/`fromWire`);
 * the cause stays in the process that saw it and goes to its log.
 */

export const ErrorCode = {
  // 1xxx common
  Unknown: 1000,
  Unsupported: 1001,
  Unexpected: 1002,
  Internal: 1003,
  InvalidArguments: 1004,
  /** GreptimeDB's Cancelled: a statement stopped by KILL or by its client going away. */
  QueryCancelled: 1005,
  Unauthorized: 1100,
  AuthFailed: 1101,
  // 2xxx SQL syntax
  InvalidSyntax: 2000,
  // 3xxx planning and execution
  PlanQuery: 3000,
  EngineExecuteQuery: 3001,
  // 4xxx catalog and region
  TableAlreadyExists: 4000,
  TableNotFound: 4001,
  TableColumnNotFound: 4002,
  TableColumnExists: 4003,
  DatabaseNotFound: 4004,
  RegionNotFound: 4005,
  /** A create found the region already open here, or its manifest in the object store (engine/storage). */
  RegionAlreadyExists: 4006,
  /** The region refuses writes in its current state: it is downgraded while it migrates (retryable). */
  RegionReadonly: 4007,
  /** The region is not in a state to take the request (GreptimeDB's RegionNotReady). */
  RegionNotReady: 4008,
  /** The region is busy for now; retry later (GreptimeDB's RegionBusy). */
  RegionBusy: 4009,
  // 5xxx storage
  StorageUnavailable: 5000,
  StorageCorrupted: 5001,
  /** An object store has no object at the path (engine/storage/object-store). */
  ObjectNotFound: 5100,
  /** A ranged read reaches past the end of an object: a bad offset, or a truncated file. */
  ObjectRangeOutOfBounds: 5101,
  /** An SST was written in a format version this build cannot read (engine/storage/sst). */
  SstFormatUnsupported: 5200,
  /** `RegionManifestManager.create` found a manifest already in the region directory (engine/storage/manifest). */
  ManifestAlreadyExists: 5300,
  /** The region directory holds no manifest: the region was never created there (or its drop finished). */
  ManifestNotFound: 5301,
  /** The region directory carries a drop marker: a drop began, and may be half done. */
  ManifestDropped: 5302,
  /** An earlier manifest write failed with an unknown outcome; only reopening the region tells the state. */
  ManifestNeedsReopen: 5303,
  /** A manifest file was written in a format version this build cannot read. */
  ManifestFormatUnsupported: 5304,
  /** A write reached a memtable after `freeze()`: the region engine must switch memtables first (engine/storage/memtable). */
  MemtableFrozen: 5500,
  /** A batch handed to the merge breaks the sorted-run format: a key or internal column missing or mistyped (engine/storage/merge). */
  SortedRunMalformed: 5600,
  // 6xxx cluster and rpc
  ConnectionLost: 6000,
  ConnectionRefused: 6001,
  DeadlineExceeded: 6002,
  Cancelled: 6003,
  MalformedMessage: 6004,
  UnknownMethod: 6005,
  /** The caller's own rpc client was closed; retrying with it cannot help. */
  ClientClosed: 6006,
  NodeNotFound: 6010,
  NodeDown: 6011,
  LeaseExpired: 6012,
  MetadataConflict: 6020,
  /** The metadata store (etcd) cannot be reached; retry later. */
  MetadataStoreUnavailable: 6021,
  /**
   * This metasrv is a follower: the call needs the leader (retryable). The message names the
   * leader's address when one is known (`engine/rpc/api/metasrv-leader.ts`).
   */
  MetasrvNotLeader: 6022,
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What an error looks like on the wire between processes and in HTTP replies. */
export interface WireError {
  code: number;
  message: string;
  retryable: boolean;
}

export interface TesseraErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

/** An error with a stable numeric code; messages name the object and the value. */
export class TesseraError extends Error {
  readonly code: number;
  readonly retryable: boolean;

  constructor(code: number, message: string, options: TesseraErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TesseraError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  toWire(): WireError {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

/** Rebuilds an error received from another process. */
export function fromWire(wire: WireError): TesseraError {
  return new TesseraError(wire.code, wire.message, { retryable: wire.retryable });
}

/** Any thrown value as a TesseraError: unknown errors become `Internal`, keeping the cause. */
export function asTesseraError(error: unknown): TesseraError {
  if (error instanceof TesseraError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TesseraError(ErrorCode.Internal, message, { cause: error });
}
