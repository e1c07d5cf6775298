/**
 * The rpc frame: one binary WebSocket message. Every message between two nodes is one frame,
 * so this file is the whole wire format; `rpc-server.ts` and `rpc-client.ts` only decide which
 * frames to send and what a received one means.
 *
 * Layout (all integers little-endian):
 *
 *     offset  size  field
 *     0       1     version        PROTOCOL_VERSION (1). Bytes 0–7 keep this layout in every
 *                                  version, so a peer can always read the id to answer.
 *     1       1     kind           a FrameKind
 *     2       2     flags          reserved, 0; receivers ignore it
 *     4       4     request id     uint32 chosen by the client, unique per connection, never 0
 *     8       4     header length  H, bytes of the JSON header
 *     12      H     header         UTF-8 JSON object; H = 0 means `{}`
 *     12+H    J     json           UTF-8 JSON value; the body's JSON part (empty = no value),
 *                                  followed by spaces so that `data` starts 8-byte aligned
 *     end-D   D     data           Arrow IPC messages, D = header.dataBytes (absent = 0)
 *
 * The JSON part carries JSON-shaped messages (requests, responses, errors, JSON items); the
 * data part carries Arrow: a RecordBatch item, or a request's attachment. Aligning the data
 * part lets Arrow read its buffers in place instead of copying them.
 *
 * Frame kinds, their direction and their header fields (see FrameKind):
 *
 *     1 request   client→server  {method, timeoutMs?, window?, dataBytes?}  json: request
 *     2 response  server→client  {}                                         json: response
 *     3 error     server→client  {}                                         json: {code, message, retryable}
 *     4 item      server→client  {dataBytes?, schemaBytes?}                 json item, or data: one batch
 *                                                                              (see arrow-ipc.ts)
 *     5 end       server→client  {}                                         (the stream finished)
 *     6 cancel    client→server  {reason?: 'deadline'}                      (stop this call)
 *     7 credit    client→server  {credit}                                   (send `credit` more items)
 *
 * Kinds and header fields are wire identifiers: add new optional fields, never reuse a number.
 */
import { ErrorCode, TesseraError } from '../common/index.ts';

/** The frame layout version this code writes and reads. */
export const PROTOCOL_VERSION = 1;

/** Bytes before the JSON header. */
export const FIXED_HEADER_BYTES = 12;

/** Bytes a receiver needs to read the request id (and so to answer with an error frame). */
export const ADDRESSABLE_BYTES = 8;

/** What a frame is; see the table in this file's opening comment. */
export const FrameKind = {
  Request: 1,
  Response: 2,
  Error: 3,
  Item: 4,
  End: 5,
  Cancel: 6,
  Credit: 7,
} as const;

/** A frame kind number (1–7). */
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const kindNames: Record<number, string> = {
  1: 'request',
  2: 'response',
  3: 'error',
  4: 'item',
  5: 'end',
  6: 'cancel',
  7: 'credit',
};

/** A kind's name for messages and logs ("item"), or "unknown (9)". */
export function frameKindName(kind: number): string {
  return kindNames[kind] ?? `unknown (${kind})`;
}

/** A decoded frame. `data` is a view into the received bytes, not a copy. */
export interface Frame {
  kind: FrameKind;
  requestId: number;
  header: Record<string, unknown>;
  /** The body's JSON value; undefined when the JSON part is empty. */
  json: unknown;
  /** The body's data part (Arrow IPC bytes); undefined when the header has no `dataBytes`. */
  data: Uint8Array | undefined;
}

/** What to encode. `header.dataBytes` is set from `data`; do not set it yourself. */
export interface FrameParts {
  kind: FrameKind;
  requestId: number;
  header?: Record<string, unknown>;
  /** A JSON-serializable value; undefined for none. */
  json?: unknown;
  /** Arrow IPC bytes, possibly in chunks (as an Arrow writer produces them). */
  data?: Uint8Array | readonly Uint8Array[];
}

const SPACE = 0x20;

/**
 * Encodes a frame into one buffer, ready to send as one binary WebSocket message. The data
 * chunks are copied once, straight into place. Throws InvalidArguments when `header` or
 * `json` cannot be serialized (BigInt, cycles).
 */
export function encodeFrame(parts: FrameParts): Uint8Array {
  const chunks =
    parts.data === undefined ? undefined : Array.isArray(parts.data) ? parts.data : [parts.data as Uint8Array];
  let dataBytes = 0;
  if (chunks !== undefined) for (const chunk of chunks) dataBytes += chunk.byteLength;
  const header = chunks === undefined ? parts.header : { ...parts.header, dataBytes };
  const headerText = header === undefined ? '' : stringify(header, 'header');
  const jsonText = parts.json === undefined ? '' : stringify(parts.json, 'message');
  const headerBytes = headerText === '' || headerText === '{}' ? 0 : Buffer.byteLength(headerText);
  const jsonBytes = Buffer.byteLength(jsonText);
  const jsonEnd = FIXED_HEADER_BYTES + headerBytes + jsonBytes;
  const dataStart = chunks === undefined ? jsonEnd : align8(jsonEnd);

  const buffer = Buffer.allocUnsafe(dataStart + dataBytes);
  buffer[0] = PROTOCOL_VERSION;
  buffer[1] = parts.kind;
  buffer.writeUInt16LE(0, 2);
  buffer.writeUInt32LE(parts.requestId >>> 0, 4);
  buffer.writeUInt32LE(headerBytes, 8);
  if (headerBytes > 0) buffer.write(headerText, FIXED_HEADER_BYTES, 'utf8');
  if (jsonBytes > 0) buffer.write(jsonText, FIXED_HEADER_BYTES + headerBytes, 'utf8');
  buffer.fill(SPACE, jsonEnd, dataStart);
  let offset = dataStart;
  if (chunks !== undefined) {
    for (const chunk of chunks) {
      buffer.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  return buffer;
}

function stringify(value: unknown, what: string): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`${typeof value} is not JSON`);
    return text;
  } catch (error) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Cannot encode rpc ${what} as JSON: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function align8(offset: number): number {
  return (offset + 7) & ~7;
}

/**
 * The outcome of decoding: a frame, or why not. `requestId` is set when the id could be read,
 * so the receiver can answer with an error frame instead of dropping the connection.
 */
export type DecodeResult =
  { ok: true; frame: Frame } | { ok: false; requestId: number | undefined; error: TesseraError };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Checks a received message's structure (not its method's schema) and splits it into parts. */
export function decodeFrame(bytes: Uint8Array): DecodeResult {
  if (bytes.byteLength < ADDRESSABLE_BYTES) {
    return malformed(
      undefined,
      `frame of ${bytes.byteLength} bytes is shorter than its ${FIXED_HEADER_BYTES}-byte header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[0]!;
  const kind = bytes[1]!;
  const requestId = view.getUint32(4, true);
  if (version !== PROTOCOL_VERSION) {
    return malformed(requestId, `frame version ${version} is not supported (this node speaks ${PROTOCOL_VERSION})`);
  }
  if (bytes.byteLength < FIXED_HEADER_BYTES) {
    return malformed(
      requestId,
      `frame of ${bytes.byteLength} bytes is shorter than its ${FIXED_HEADER_BYTES}-byte header`,
    );
  }
  if (kindNames[kind] === undefined) return malformed(requestId, `frame kind ${kind} is unknown`);
  const headerBytes = view.getUint32(8, true);
  const bodyStart = FIXED_HEADER_BYTES + headerBytes;
  if (bodyStart > bytes.byteLength) {
    return malformed(requestId, `header length ${headerBytes} runs past the frame's ${bytes.byteLength} bytes`);
  }

  let header: Record<string, unknown> = {};
  if (headerBytes > 0) {
    const parsed = parseJson(bytes.subarray(FIXED_HEADER_BYTES, bodyStart));
    if (!parsed.ok) return malformed(requestId, `frame header is not valid JSON: ${parsed.reason}`);
    if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      return malformed(requestId, 'frame header is not a JSON object');
    }
    header = parsed.value as Record<string, unknown>;
  }

  let dataStart = bytes.byteLength;
  const dataBytes = header.dataBytes;
  if (dataBytes !== undefined) {
    if (!Number.isSafeInteger(dataBytes) || (dataBytes as number) < 0) {
      return malformed(requestId, `header.dataBytes must be a non-negative integer`);
    }
    dataStart = bytes.byteLength - (dataBytes as number);
    if (dataStart < bodyStart) {
      return malformed(requestId, `header.dataBytes ${dataBytes as number} runs past the frame's body`);
    }
  }

  let jsonEnd = dataStart;
  while (jsonEnd > bodyStart && bytes[jsonEnd - 1] === SPACE) jsonEnd--;
  let json: unknown;
  if (jsonEnd > bodyStart) {
    const parsed = parseJson(bytes.subarray(bodyStart, jsonEnd));
    if (!parsed.ok) return malformed(requestId, `frame body is not valid JSON: ${parsed.reason}`);
    json = parsed.value;
  }
  const data = dataBytes === undefined ? undefined : bytes.subarray(dataStart);
  return { ok: true, frame: { kind: kind as FrameKind, requestId, header, json, data } };
}

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(bytes)) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function malformed(requestId: number | undefined, reason: string): DecodeResult {
  return { ok: false, requestId, error: new TesseraError(ErrorCode.MalformedMessage, `Malformed frame: ${reason}`) };
}
