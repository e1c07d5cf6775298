/**
 * PostgreSQL protocol 3.0 messages: reading the client's (a type byte and an int32 length,
 * none before startup) and building the server's. `ErrorResponse` carries GreptimeDB's mapping
 * of status codes to SQLSTATE; like GreptimeDB it sends severity, code and message only.
 */
import { ErrorCode } from '../../common/index.ts';
import type { TesseraError } from '../../common/index.ts';
import type { SocketReader } from '../wire/socket-reader.ts';

/** The largest message a client may send. */
export const maxMessageBytes = 128 * 1024 * 1024;

/** A message that does not follow the protocol: the connection is closed. */
export class MalformedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

export interface FrontendMessage {
  type: string;
  body: Buffer;
}

/** One typed message from the client. */
export async function readMessage(reader: SocketReader): Promise<FrontendMessage> {
  const header = await reader.read(5);
  const length = header.readInt32BE(1);
  if (length < 4 || length > maxMessageBytes) {
    throw new MalformedMessageError(`message '${String.fromCharCode(header[0]!)}' with length ${length}`);
  }
  return { type: String.fromCharCode(header[0]!), body: Buffer.from(await reader.read(length - 4)) };
}

/** The untyped startup-phase message (startup, SSLRequest, CancelRequest): its code and rest. */
export async function readStartupMessage(reader: SocketReader): Promise<{ code: number; body: Buffer }> {
  const length = (await reader.read(4)).readInt32BE(0);
  if (length < 8 || length > 64 * 1024) throw new MalformedMessageError(`startup message with length ${length}`);
  const rest = await reader.read(length - 4);
  return { code: rest.readInt32BE(0), body: Buffer.from(rest.subarray(4)) };
}

/** Reads a message body field by field; running past the end is a malformed message. */
export class BodyReader {
  private pos = 0;
  private readonly body: Buffer;

  constructor(body: Buffer) {
    this.body = body;
  }

  private need(length: number): void {
    if (length < 0 || this.pos + length > this.body.length) {
      throw new MalformedMessageError(`message ends at byte ${this.body.length}, needed ${this.pos + length}`);
    }
  }

  int16(): number {
    this.need(2);
    const value = this.body.readInt16BE(this.pos);
    this.pos += 2;
    return value;
  }

  int32(): number {
    this.need(4);
    const value = this.body.readInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  byte(): number {
    this.need(1);
    return this.body[this.pos++]!;
  }

  bytes(length: number): Buffer {
    this.need(length);
    const out = this.body.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.pos);
    if (end < 0) throw new MalformedMessageError('string without its terminating NUL');
    const text = this.body.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return text;
  }
}

export function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header[0] = type.charCodeAt(0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

export const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');

export function int16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeInt16BE(value);
  return out;
}

export function int32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeInt32BE(value);
  return out;
}

export const authenticationOk = () => message('R', int32(0));
export const authenticationCleartext = () => message('R', int32(3));
export const parameterStatus = (name: string, value: string) => message('S', cstring(name), cstring(value));
/** The connection's process id and secret, which a CancelRequest must quote (both unsigned 32-bit). */
export function backendKeyData(processId = 0, secretKey = 0): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(processId >>> 0, 0);
  body.writeUInt32BE(secretKey >>> 0, 4);
  return message('K', body);
}
export const readyForQuery = (status: 'I' | 'T' | 'E') => message('Z', Buffer.from(status, 'latin1'));
export const commandComplete = (tag: string) => message('C', cstring(tag));
export const emptyQueryResponse = () => message('I');
export const parseComplete = () => message('1');
export const bindComplete = () => message('2');
export const closeComplete = () => message('3');
export const noData = () => message('n');

export interface FieldDescription {
  name: string;
  oid: number;
  size: number;
  format: number;
}

export function rowDescription(fields: FieldDescription[]): Buffer {
  const parts: Buffer[] = [int16(fields.length)];
  for (const field of fields) {
    const fixed = Buffer.alloc(18);
    fixed.writeInt32BE(0, 0);
    fixed.writeInt16BE(0, 4);
    fixed.writeInt32BE(field.oid, 6);
    fixed.writeInt16BE(field.size, 10);
    fixed.writeInt32BE(-1, 12);
    fixed.writeInt16BE(field.format, 16);
    parts.push(cstring(field.name), fixed);
  }
  return message('T', ...parts);
}

export function parameterDescription(oids: number[]): Buffer {
  return message('t', int16(oids.length), ...oids.map(int32));
}

export function dataRow(values: (Buffer | null)[]): Buffer {
  const parts: Buffer[] = [int16(values.length)];
  for (const value of values) {
    if (value === null) parts.push(int32(-1));
    else parts.push(int32(value.length), value);
  }
  return message('D', ...parts);
}

function fields(severity: string, code: string, text: string): Buffer[] {
  return [Buffer.from('S'), cstring(severity), Buffer.from('C'), cstring(code), Buffer.from('M'), cstring(text)];
}

export function errorResponse(code: string, text: string, severity = 'ERROR'): Buffer {
  return message('E', ...fields(severity, code, text), Buffer.from([0]));
}

export function noticeResponse(code: string, text: string): Buffer {
  return message('N', ...fields('WARNING', code, text), Buffer.from([0]));
}

/** GreptimeDB's SQLSTATE for a status code. */
export function sqlStateOf(code: number): string {
  switch (code) {
    case ErrorCode.Unsupported:
      return '0A000';
    case ErrorCode.InvalidArguments:
      return '22023';
    case ErrorCode.QueryCancelled:
    case ErrorCode.Cancelled:
    case ErrorCode.DeadlineExceeded:
      return '57000';
    case ErrorCode.InvalidSyntax:
      return '42601';
    case ErrorCode.PlanQuery:
    case ErrorCode.EngineExecuteQuery:
      return 'P0000';
    case ErrorCode.TableNotFound:
    case ErrorCode.RegionNotFound:
      return '42P01';
    case ErrorCode.TableAlreadyExists:
    case ErrorCode.RegionAlreadyExists:
      return '42P07';
    case ErrorCode.TableColumnNotFound:
      return '42703';
    case ErrorCode.TableColumnExists:
      return '42701';
    case ErrorCode.DatabaseNotFound:
      return '42704';
    case ErrorCode.Unauthorized:
    case ErrorCode.AuthFailed:
      return '28P01';
    default:
      return 'XX000';
  }
}

export function errorFor(error: TesseraError): Buffer {
  return errorResponse(sqlStateOf(error.code), error.message);
}
