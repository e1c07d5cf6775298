/**
 * Schemas for the parts of frames that the protocol itself defines (method schemas cover
 * the rest): per-kind headers and the error body. Field meanings are in `frame.ts`.
 */
import { ErrorCode, TesseraError } from '../common/index.ts';
import * as s from './schema.ts';

/** Largest stream window or credit grant a peer may ask for. */
export const MAX_WINDOW = 1 << 20;

/** An item count: an integer from 1 to MAX_WINDOW. */
function count(): s.Schema<number> {
  return {
    parse: (value, path = '') => {
      if (Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_WINDOW)
        return value as number;
      throw new TesseraError(
        ErrorCode.MalformedMessage,
        `Malformed message: ${path}: expected an integer from 1 to ${MAX_WINDOW}, got ${JSON.stringify(value) ?? 'nothing'}`,
      );
    },
  };
}

/** Header of a request frame. `timeoutMs` is what was left of the caller's deadline when sent. */
export const requestHeader = s.object({
  method: s.string(),
  timeoutMs: s.optional(s.number()),
  /** Stream calls: how many items the server may send before the first credit frame. */
  window: s.optional(count()),
  dataBytes: s.optional(s.integer()),
});

/** Header of a credit frame. */
export const creditHeader = s.object({ credit: count() });

/** Header of a cancel frame: 'deadline' when the caller's deadline passed, else a plain cancel. */
export const cancelHeader = s.object({ reason: s.optional(s.oneOf('cancel', 'deadline')) });

/** Body of an error frame: a `WireError`. */
export const wireError = s.object({ code: s.integer(), message: s.string(), retryable: s.boolean() });
