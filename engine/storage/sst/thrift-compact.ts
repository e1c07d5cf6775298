/**
 * A lossless reader and writer for the Thrift compact protocol, the encoding of a Parquet footer.
 *
 * Why not hyparquet's: its reader folds i8/i16 into plain numbers and its writer guesses wire
 * types from JS values, so a footer read and written back changes types (an `IntType.bitWidth`
 * i8 comes back as an i32, which strict readers reject). The SST reader rewrites footers to
 * hand parquet-wasm only the row groups and columns a scan needs (see `parquet-footer.ts`), so
 * here every value keeps the wire type it was read with and is written back exactly.
 *
 * Encoding reminders (Thrift compact protocol spec): a struct is a run of field headers, each
 * `delta << 4 | type` (or `type` then a zigzag i16 id when the id jumps by more than 15), ending
 * with a STOP byte; booleans live in the field header (type 1 true, 2 false) and as one byte in
 * lists; i16/i32/i64 are zigzag varints; binary is a varint length then bytes; a list header is
 * `size << 4 | elementType` (size 15 means a varint size follows).
 */

/** Compact-protocol type codes as they appear on the wire. */
export const ThriftType = {
  BoolTrue: 1,
  BoolFalse: 2,
  Byte: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  Double: 7,
  Binary: 8,
  List: 9,
  Set: 10,
  Struct: 12,
} as const;

/** One of the `ThriftType` codes. */
export type ThriftTypeCode = (typeof ThriftType)[keyof typeof ThriftType];

/** A list (or set) with the element type it was written with, kept even when empty. */
export interface ThriftList {
  elementType: ThriftTypeCode;
  items: ThriftValue[];
}

/** A struct: field id -> typed value. Written back in ascending id order. */
export type ThriftStruct = Map<number, ThriftField>;

/** Booleans are `boolean`, i8/i16/i32 and doubles `number`, i64 `bigint`, binary `Uint8Array`. */
export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftList | ThriftStruct;

/** A value with its wire type (`BoolTrue` stands for any boolean). */
export interface ThriftField {
  type: ThriftTypeCode;
  value: ThriftValue;
}

/** Deep enough for any Parquet footer; stops hostile input from overflowing the stack. */
const maxDepth = 64;

/** Thrown for bytes that are not a well-formed compact-protocol struct. */
export class ThriftDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThriftDecodeError';
  }
}

/** Cursor over the bytes being decoded. */
interface Reader {
  bytes: Uint8Array;
  view: DataView;
  offset: number;
}

/**
 * Decodes one struct starting at `offset`; returns it and the offset just past its STOP byte.
 * Throws `ThriftDecodeError` on truncated or malformed input, never reads outside `bytes`.
 */
export function decodeThriftStruct(bytes: Uint8Array, offset = 0): { struct: ThriftStruct; end: number } {
  const reader: Reader = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset };
  const struct = readStruct(reader, 0);
  return { struct, end: reader.offset };
}

function readStruct(reader: Reader, depth: number): ThriftStruct {
  if (depth > maxDepth) throw new ThriftDecodeError(`nesting deeper than ${maxDepth}`);
  const struct: ThriftStruct = new Map();
  let fieldId = 0;
  for (;;) {
    const header = readByte(reader);
    const type = header & 0x0f;
    if (type === 0) return struct;
    const delta = header >> 4;
    fieldId = delta === 0 ? readZigZag32(reader) : fieldId + delta;
    if (type === ThriftType.BoolTrue || type === ThriftType.BoolFalse) {
      struct.set(fieldId, { type: ThriftType.BoolTrue, value: type === ThriftType.BoolTrue });
    } else {
      const code = checkType(type);
      struct.set(fieldId, { type: code, value: readValue(reader, code, depth) });
    }
  }
}

function checkType(type: number): ThriftTypeCode {
  if (type === 11 || type < 1 || type > 12) throw new ThriftDecodeError(`unsupported compact type ${type}`);
  return type as ThriftTypeCode;
}

function readValue(reader: Reader, type: ThriftTypeCode, depth: number): ThriftValue {
  switch (type) {
    case ThriftType.BoolTrue:
    case ThriftType.BoolFalse:
      // Only reached for list elements: one byte, 1 = true (the field form has no payload).
      return readByte(reader) === 1;
    case ThriftType.Byte: {
      const value = readByte(reader);
      return value > 127 ? value - 256 : value;
    }
    case ThriftType.I16:
    case ThriftType.I32:
      return readZigZag32(reader);
    case ThriftType.I64:
      return readZigZag64(reader);
    case ThriftType.Double: {
      need(reader, 8);
      const value = reader.view.getFloat64(reader.offset, true);
      reader.offset += 8;
      return value;
    }
    case ThriftType.Binary: {
      const length = readVarint32(reader);
      need(reader, length);
      const value = reader.bytes.subarray(reader.offset, reader.offset + length);
      reader.offset += length;
      return value;
    }
    case ThriftType.List:
    case ThriftType.Set: {
      const header = readByte(reader);
      const elementType = checkType(header & 0x0f);
      let size = header >> 4;
      if (size === 15) size = readVarint32(reader);
      // Every element takes at least one byte, so a size beyond the remaining bytes is corrupt.
      if (size > reader.bytes.length - reader.offset) throw new ThriftDecodeError(`list of ${size} overruns input`);
      const items: ThriftValue[] = new Array<ThriftValue>(size);
      for (let i = 0; i < size; i++) items[i] = readValue(reader, elementType, depth + 1);
      return { elementType, items };
    }
    case ThriftType.Struct:
      return readStruct(reader, depth + 1);
  }
}

function need(reader: Reader, length: number): void {
  if (length < 0 || reader.offset + length > reader.bytes.length) {
    throw new ThriftDecodeError(`needs ${length} bytes at offset ${reader.offset}, input has ${reader.bytes.length}`);
  }
}

function readByte(reader: Reader): number {
  if (reader.offset >= reader.bytes.length) throw new ThriftDecodeError(`input ends at offset ${reader.offset}`);
  return reader.bytes[reader.offset++]!;
}

function readVarint32(reader: Reader): number {
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = readByte(reader);
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result >>> 0;
  }
  throw new ThriftDecodeError('varint longer than 5 bytes');
}

function readZigZag32(reader: Reader): number {
  const raw = readVarint32(reader);
  return (raw >>> 1) ^ -(raw & 1);
}

function readZigZag64(reader: Reader): bigint {
  let result = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    const byte = readByte(reader);
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return BigInt.asIntN(64, (result >> 1n) ^ -(result & 1n));
  }
  throw new ThriftDecodeError('varint longer than 10 bytes');
}

/** Growable output buffer. */
class Output {
  bytes = new Uint8Array(1024);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value & 0xff;
  }

  append(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }
}

/** Encodes a struct; the inverse of `decodeThriftStruct` byte for byte for canonical input. */
export function encodeThriftStruct(struct: ThriftStruct): Uint8Array {
  const out = new Output();
  writeStruct(out, struct);
  return out.bytes.slice(0, out.length);
}

function writeStruct(out: Output, struct: ThriftStruct): void {
  const ids = [...struct.keys()].sort((a, b) => a - b);
  let last = 0;
  for (const id of ids) {
    const field = struct.get(id)!;
    const wireType =
      field.type === ThriftType.BoolTrue || field.type === ThriftType.BoolFalse
        ? field.value === true
          ? ThriftType.BoolTrue
          : ThriftType.BoolFalse
        : field.type;
    const delta = id - last;
    if (delta > 0 && delta <= 15) {
      out.byte((delta << 4) | wireType);
    } else {
      out.byte(wireType);
      writeVarint32(out, ((id << 1) ^ (id >> 31)) >>> 0);
    }
    last = id;
    if (wireType !== ThriftType.BoolTrue && wireType !== ThriftType.BoolFalse) writeValue(out, field.type, field.value);
  }
  out.byte(0);
}

function writeValue(out: Output, type: ThriftTypeCode, value: ThriftValue): void {
  switch (type) {
    case ThriftType.BoolTrue:
    case ThriftType.BoolFalse:
      out.byte(value === true ? 1 : 2);
      return;
    case ThriftType.Byte:
      out.byte(value as number);
      return;
    case ThriftType.I16:
    case ThriftType.I32: {
      const n = value as number;
      writeVarint32(out, ((n << 1) ^ (n >> 31)) >>> 0);
      return;
    }
    case ThriftType.I64: {
      const n = BigInt.asIntN(64, value as bigint);
      let zigzag = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
      while (zigzag >= 0x80n) {
        out.byte(Number(zigzag & 0x7fn) | 0x80);
        zigzag >>= 7n;
      }
      out.byte(Number(zigzag));
      return;
    }
    case ThriftType.Double: {
      const buffer = new Uint8Array(8);
      new DataView(buffer.buffer).setFloat64(0, value as number, true);
      out.append(buffer);
      return;
    }
    case ThriftType.Binary: {
      const bytes = value as Uint8Array;
      writeVarint32(out, bytes.length);
      out.append(bytes);
      return;
    }
    case ThriftType.List:
    case ThriftType.Set: {
      const list = value as ThriftList;
      const size = list.items.length;
      if (size < 15) {
        out.byte((size << 4) | list.elementType);
      } else {
        out.byte(0xf0 | list.elementType);
        writeVarint32(out, size);
      }
      for (const item of list.items) writeValue(out, list.elementType, item);
      return;
    }
    case ThriftType.Struct:
      writeStruct(out, value as ThriftStruct);
      return;
  }
}

function writeVarint32(out: Output, value: number): void {
  let n = value >>> 0;
  while (n >= 0x80) {
    out.byte((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.byte(n);
}
