/**
 * MySQL packet framing and the generic packets: 3-byte length + sequence id framing (payloads
 * of 16 MiB - 1 continue in the next packet), length-encoded integers and strings, OK, ERR and
 * EOF. `MysqlPacketIo` tracks the sequence id a command's replies must carry and sends all of
 * a command's replies in one socket write.
 */
import type { Socket } from 'node:net';
import type { SocketReader } from '../wire/socket-reader.ts';

export const maxPayload = 0xffffff;
/** The largest command a client may send (GreptimeDB's default max_allowed_packet is 128 MiB). */
export const maxCommandBytes = 128 * 1024 * 1024;

export const ServerStatus = { autocommit: 0x0002, moreResults: 0x0008 } as const;

/** A packet that does not follow the protocol: the connection is closed. */
export class MalformedPacketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPacketError';
  }
}

export function lenencInt(value: number | bigint): Buffer {
  const n = BigInt(value);
  if (n < 251n) return Buffer.from([Number(n)]);
  if (n < 0x10000n) {
    const out = Buffer.alloc(3);
    out[0] = 0xfc;
    out.writeUInt16LE(Number(n), 1);
    return out;
  }
  if (n < 0x1000000n) {
    const out = Buffer.alloc(4);
    out[0] = 0xfd;
    out.writeUIntLE(Number(n), 1, 3);
    return out;
  }
  const out = Buffer.alloc(9);
  out[0] = 0xfe;
  out.writeBigUInt64LE(n, 1);
  return out;
}

export function lenencBytes(value: string | Uint8Array): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  return Buffer.concat([lenencInt(bytes.length), bytes]);
}

/** Reads a payload field by field; running past the end is a malformed packet. */
export class PayloadReader {
  pos: number;
  readonly buf: Buffer;

  constructor(buf: Buffer, pos = 0) {
    this.buf = buf;
    this.pos = pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(length: number): void {
    if (this.pos + length > this.buf.length) {
      throw new MalformedPacketError(`packet ends at byte ${this.buf.length}, needed ${this.pos + length}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const value = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  bytes(length: number): Buffer {
    this.need(length);
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  /** A NUL-terminated string (or the rest, when no NUL follows). */
  nulString(): string {
    const end = this.buf.indexOf(0, this.pos);
    const stop = end < 0 ? this.buf.length : end;
    const text = this.buf.toString('utf8', this.pos, stop);
    this.pos = end < 0 ? stop : stop + 1;
    return text;
  }

  lenencInt(): number {
    const first = this.u8();
    if (first < 0xfb) return first;
    if (first === 0xfc) return this.u16();
    if (first === 0xfd) {
      this.need(3);
      const value = this.buf.readUIntLE(this.pos, 3);
      this.pos += 3;
      return value;
    }
    if (first === 0xfe) {
      this.need(8);
      const value = this.buf.readBigUInt64LE(this.pos);
      this.pos += 8;
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedPacketError(`length ${value} is too large`);
      return Number(value);
    }
    throw new MalformedPacketError(`invalid length-encoded integer prefix 0x${first.toString(16)}`);
  }

  lenencBytes(): Buffer {
    return this.bytes(this.lenencInt());
  }
}

export function okPacket(affectedRows: number, status: number, warnings = 0): Buffer {
  const tail = Buffer.alloc(4);
  tail.writeUInt16LE(status, 0);
  tail.writeUInt16LE(warnings, 2);
  return Buffer.concat([Buffer.from([0x00]), lenencInt(affectedRows), lenencInt(0), tail]);
}

export function errPacket(code: number, sqlState: string, message: string): Buffer {
  const head = Buffer.alloc(3);
  head[0] = 0xff;
  head.writeUInt16LE(code, 1);
  return Buffer.concat([head, Buffer.from(`#${sqlState}`, 'latin1'), Buffer.from(message, 'utf8')]);
}

export function eofPacket(status: number, warnings = 0): Buffer {
  const out = Buffer.alloc(5);
  out[0] = 0xfe;
  out.writeUInt16LE(warnings, 1);
  out.writeUInt16LE(status, 3);
  return out;
}

export class MysqlPacketIo {
  /** The sequence id of the next packet written. */
  sequence = 0;
  private readonly reader: SocketReader;
  private readonly socket: Socket;
  private pending: Buffer[] = [];

  constructor(socket: Socket, reader: SocketReader) {
    this.socket = socket;
    this.reader = reader;
  }

  /** One logical packet (continuations joined); the next reply takes the following sequence id. */
  async read(): Promise<Buffer> {
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const header = await this.reader.read(4);
      const length = header.readUIntLE(0, 3);
      this.sequence = (header[3]! + 1) & 0xff;
      total += length;
      if (total > maxCommandBytes) throw new MalformedPacketError(`packet of more than ${maxCommandBytes} bytes`);
      parts.push(Buffer.from(await this.reader.read(length)));
      if (length < maxPayload) return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    }
  }

  /** Queues one logical packet; `flush` sends what is queued. */
  write(payload: Buffer): void {
    let offset = 0;
    for (;;) {
      const length = Math.min(maxPayload, payload.length - offset);
      const header = Buffer.alloc(4);
      header.writeUIntLE(length, 0, 3);
      header[3] = this.sequence;
      this.sequence = (this.sequence + 1) & 0xff;
      this.pending.push(header, payload.subarray(offset, offset + length));
      offset += length;
      if (length < maxPayload) return;
    }
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const out = Buffer.concat(this.pending);
    this.pending = [];
    if (!this.socket.destroyed) this.socket.write(out);
  }
}
