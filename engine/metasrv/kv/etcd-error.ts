/**
 * etcd3's errors as TesseraErrors. etcd3 throws its own classes (`GRPCUnavailableError`,
 * ...) and, when a host's circuit breaker is open, cockatiel's `BrokenCircuitError`; the
 * rest of the engine sees codes and a message naming the endpoint.
 */

import {
  ClientClosedError,
  GRPCCancelledError,
  GRPCDeadlineExceededError,
  GRPCResourceExhastedError,
  GRPCUnavailableError,
  isRecoverableError,
} from 'etcd3';
import { ErrorCode, TesseraError } from '../../common/index.ts';

/** Maps an error thrown by etcd3 while doing `action` against `endpoint` (the store's name). */
export function fromEtcdError(error: unknown, endpoint: string, action: string): TesseraError {
  if (error instanceof TesseraError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const at = `etcd ${endpoint} (${action})`;
  if (error instanceof ClientClosedError) {
    return new TesseraError(ErrorCode.MetadataStoreUnavailable, `Metadata store ${endpoint} is closed`, {
      cause: error,
    });
  }
  if (isBrokenCircuit(error)) {
    return new TesseraError(
      ErrorCode.MetadataStoreUnavailable,
      `${at} is unavailable: recent calls failed, the client pauses for a few seconds`,
      { retryable: true, cause: error },
    );
  }
  if (error instanceof GRPCDeadlineExceededError) {
    return new TesseraError(ErrorCode.DeadlineExceeded, `${at} did not answer in time: ${reason}`, {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof GRPCCancelledError) {
    return new TesseraError(ErrorCode.Cancelled, `${at} was cancelled: ${reason}`, { retryable: true, cause: error });
  }
  if (error instanceof GRPCResourceExhastedError || reason.includes('request is too large')) {
    return new TesseraError(ErrorCode.InvalidArguments, `${at} refused an oversized request: ${reason}`, {
      cause: error,
    });
  }
  if (error instanceof GRPCUnavailableError || (error instanceof Error && isRecoverableError(error))) {
    // Unavailable covers "no connection", "no leader" and "leader changed"; all pass with time.
    return new TesseraError(ErrorCode.MetadataStoreUnavailable, `${at} is unavailable: ${reason}`, {
      retryable: true,
      cause: error,
    });
  }
  return new TesseraError(ErrorCode.Internal, `${at} failed: ${reason}`, { cause: error });
}

/**
 * Whether `error` proves the request never reached etcd, so even a non-idempotent call
 * (compareAndPut, delete) may be sent again without risking a double apply.
 */
export function neverSent(error: unknown): boolean {
  if (isBrokenCircuit(error)) return true;
  const reason = error instanceof Error ? error.message : '';
  return (
    error instanceof GRPCUnavailableError &&
    (reason.includes('No connection established') || reason.includes('ECONNREFUSED'))
  );
}

function isBrokenCircuit(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { isBrokenCircuitError?: unknown }).isBrokenCircuitError === true
  );
}
