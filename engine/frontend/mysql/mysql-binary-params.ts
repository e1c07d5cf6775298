/**
 * COM_STMT_EXECUTE's parameters in the binary protocol: a NULL bitmap, the types (sent with
 * the first execution, remembered for later ones), then each non-NULL value in its type's
 * binary form. Values come out as `ParamValue`s ready to be written as SQL literals.
 */
import type { ParamValue } from '../wire/prepared-statement.ts';
import { MalformedPacketError } from './mysql-packets.ts';
import type { PayloadReader } from './mysql-packets.ts';
import { ColumnType } from './mysql-types.ts';

/** A parameter's type as the client sent it: the column type and whether it is unsigned. */
export interface ParamType {
  type: number;
  unsigned: boolean;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function readDateTime(reader: PayloadReader, withTime: boolean): ParamValue {
  const length = reader.u8();
  if (length === 0) return { sql: withTime ? "'0000-00-00 00:00:00'" : "'0000-00-00'" };
  const year = reader.u16();
  const month = reader.u8();
  const day = reader.u8();
  let text = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (length >= 7) {
    const hour = reader.u8();
    const minute = reader.u8();
    const second = reader.u8();
    text += ` ${pad(hour)}:${pad(minute)}:${pad(second)}`;
    if (length >= 11) {
      const micros = reader.u32();
      if (micros > 0) text += `.${pad(micros, 6)}`;
    }
  }
  if (length !== 4 && length !== 7 && length !== 11) throw new MalformedPacketError(`date-time of length ${length}`);
  return text;
}

function readTime(reader: PayloadReader): ParamValue {
  const length = reader.u8();
  if (length === 0) return "'00:00:00'";
  const negative = reader.u8() === 1;
  const days = reader.u32();
  const hours = reader.u8() + days * 24;
  const minutes = reader.u8();
  const seconds = reader.u8();
  const micros = length >= 12 ? reader.u32() : 0;
  if (length !== 8 && length !== 12) throw new MalformedPacketError(`time of length ${length}`);
  return `${negative ? '-' : ''}${pad(hours)}:${pad(minutes)}:${pad(seconds)}${micros > 0 ? `.${pad(micros, 6)}` : ''}`;
}

function readValue(reader: PayloadReader, { type, unsigned }: ParamType, longData: Buffer | undefined): ParamValue {
  switch (type) {
    case ColumnType.null:
      return null;
    case ColumnType.tiny: {
      const value = reader.u8();
      return unsigned ? value : (value << 24) >> 24;
    }
    case ColumnType.short:
    case ColumnType.year: {
      const value = reader.u16();
      return unsigned ? value : (value << 16) >> 16;
    }
    case ColumnType.long:
    case ColumnType.int24: {
      const bytes = reader.bytes(4);
      return unsigned ? bytes.readUInt32LE(0) : bytes.readInt32LE(0);
    }
    case ColumnType.longlong: {
      const bytes = reader.bytes(8);
      const value = unsigned ? bytes.readBigUInt64LE(0) : bytes.readBigInt64LE(0);
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value;
    }
    case ColumnType.float:
      return reader.bytes(4).readFloatLE(0);
    case ColumnType.double:
      return reader.bytes(8).readDoubleLE(0);
    case ColumnType.date:
      return readDateTime(reader, false);
    case ColumnType.datetime:
    case ColumnType.timestamp:
      return readDateTime(reader, true);
    case ColumnType.time:
      return readTime(reader);
    case ColumnType.decimal:
    case ColumnType.newdecimal:
      return { sql: reader.lenencBytes().toString('latin1') };
    case ColumnType.tinyBlob:
    case ColumnType.mediumBlob:
    case ColumnType.longBlob:
    case ColumnType.blob:
    case ColumnType.bit:
      return longData ?? reader.lenencBytes();
    default: {
      const bytes = longData ?? reader.lenencBytes();
      return bytes.toString('utf8');
    }
  }
}

/** Reads the parameter section of COM_STMT_EXECUTE (after the statement id, flags and iteration count). */
export function readExecuteParams(
  reader: PayloadReader,
  count: number,
  known: ParamType[] | undefined,
  longData: Map<number, Buffer>,
): { values: ParamValue[]; types: ParamType[] } {
  if (count === 0) return { values: [], types: [] };
  const nullBitmap = reader.bytes(Math.floor((count + 7) / 8));
  const newTypes = reader.u8() === 1;
  let types = known;
  if (newTypes) {
    types = [];
    for (let i = 0; i < count; i++) {
      const type = reader.u8();
      const flags = reader.u8();
      types.push({ type, unsigned: (flags & 0x80) !== 0 });
    }
  }
  if (!types || types.length !== count) throw new MalformedPacketError('parameter types were never sent');
  const values: ParamValue[] = [];
  for (let i = 0; i < count; i++) {
    const isNull = (nullBitmap[i >> 3]! & (1 << (i & 7))) !== 0;
    const long = longData.get(i);
    if (isNull) values.push(null);
    else if (long !== undefined) values.push(types[i]!.type >= 0xf9 ? long : long.toString('utf8'));
    else values.push(readValue(reader, types[i]!, undefined));
  }
  return { values, types };
}
