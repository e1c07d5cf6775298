/**
 * The few protobuf wire-format pieces Prometheus remote write and read need, by hand: a
 * reader that walks fields of a byte range (varint, fixed64, length-delimited; groups and
 * fixed32 are skipped), and a writer for the read response. Malformed input throws
 * InvalidArguments naming the offset; nothing here allocates per field.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';

export const wireVarint = 0;
export const wireFixed64 = 1;
export const wireLengthDelimited = 2;
export const wireFixed32 = 5;

function malformed(what: string, offset: number): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Malformed protobuf message: ${what} at byte ${offset}`);
}

/** Reads fields of `bytes[start, end)`. `position` moves forward as fields are read. */
export class ProtoReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  position: number;
  end: number;
  /** The field number and wire type of the last `next()`. */
  field = 0;
  wireType = 0;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.position = start;
    this.end = end;
  }

  /** Moves to the next field; false at the end of the range. */
  next(): boolean {
    if (this.position >= this.end) return false;
    const key = this.varint();
    this.field = Math.floor(key / 8);
    this.wireType = key & 7;
    if (this.field === 0) throw malformed('field number 0', this.position);
    return true;
  }

  /** An unsigned varint up to 2^53 exactly; larger (10-byte negative int64) via `varintBigInt`. */
  varint(): number {
    const bytes = this.bytes;
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      if (this.position >= this.end) throw malformed('truncated varint', this.position);
      const byte = bytes[this.position++]!;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    throw malformed('varint longer than 10 bytes', this.position);
  }

  /** A varint read as a signed int64 (two's complement), exact for |value| < 2^53. */
  int64(): number {
    const start = this.position;
    const value = this.varint();
    if (value <= Number.MAX_SAFE_INTEGER) return value;
    // A negative int64 (10 bytes) or a huge one: reread exactly.
    this.position = start;
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.bytes[this.position++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) break;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, result));
  }

  /** The [start, end) of a length-delimited field's payload; moves past it. */
  lengthDelimited(): { start: number; end: number } {
    const length = this.varint();
    const start = this.position;
    const end = start + length;
    if (end > this.end) throw malformed(`length ${length} past the end of the message`, start);
    this.position = end;
    return { start, end };
  }

  /** Start offset of a fixed64 field; moves past it. */
  fixed64(): number {
    const start = this.position;
    if (start + 8 > this.end) throw malformed('truncated fixed64', start);
    this.position = start + 8;
    return start;
  }

  skip(): void {
    switch (this.wireType) {
      case wireVarint:
        this.varint();
        return;
      case wireFixed64:
        this.fixed64();
        return;
      case wireLengthDelimited:
        this.lengthDelimited();
        return;
      case wireFixed32:
        if (this.position + 4 > this.end) throw malformed('truncated fixed32', this.position);
        this.position += 4;
        return;
      default:
        throw malformed(`unsupported wire type ${this.wireType}`, this.position);
    }
  }

  /** Throws unless the current field has `wireType`. */
  expect(wireType: number): void {
    if (this.wireType !== wireType) {
      throw malformed(`field ${this.field} has wire type ${this.wireType}, expected ${wireType}`, this.position);
    }
  }
}

/** A growing protobuf writer. */
export class ProtoWriter {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  varint(value: number): void {
    this.reserve(10);
    if (value < 0) {
      // Negative int64: ten bytes of two's complement.
      let big = BigInt.asUintN(64, BigInt(value));
      while (big >= 0x80n) {
        this.buffer[this.length++] = Number(big & 0x7fn) | 0x80;
        big >>= 7n;
      }
      this.buffer[this.length++] = Number(big);
      return;
    }
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 128) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.buffer[this.length++] = rest;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  bytes(field: number, payload: Uint8Array): void {
    this.tag(field, wireLengthDelimited);
    this.varint(payload.length);
    this.reserve(payload.length);
    this.buffer.set(payload, this.length);
    this.length += payload.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, Buffer.from(value, 'utf8'));
  }

  double(field: number, value: number): void {
    this.tag(field, wireFixed64);
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  int64(field: number, value: number): void {
    this.tag(field, wireVarint);
    this.varint(value);
  }

  /** A nested message written by `write` into its own writer. */
  message(field: number, write: (writer: ProtoWriter) => void): void {
    const nested = new ProtoWriter();
    write(nested);
    this.bytes(field, nested.finish());
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
