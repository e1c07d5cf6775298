import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ThriftDecodeError,
  ThriftType,
  decodeThriftStruct,
  encodeThriftStruct,
  type ThriftField,
  type ThriftStruct,
} from './thrift-compact.ts';

function struct(entries: [number, ThriftField][]): ThriftStruct {
  return new Map(entries);
}

const sample = struct([
  [1, { type: ThriftType.I32, value: -7 }],
  [2, { type: ThriftType.BoolTrue, value: true }],
  [3, { type: ThriftType.BoolTrue, value: false }],
  [4, { type: ThriftType.Byte, value: -128 }],
  [5, { type: ThriftType.I16, value: 32767 }],
  [6, { type: ThriftType.I64, value: -(2n ** 63n) }],
  [7, { type: ThriftType.I64, value: 2n ** 63n - 1n }],
  [8, { type: ThriftType.Double, value: -0.5 }],
  [9, { type: ThriftType.Binary, value: new Uint8Array([0, 255, 7]) }],
  [10, { type: ThriftType.List, value: { elementType: ThriftType.I32, items: [] } }],
  [
    11,
    {
      type: ThriftType.List,
      value: { elementType: ThriftType.BoolTrue, items: [true, false, true] },
    },
  ],
  [
    12,
    {
      type: ThriftType.List,
      value: {
        elementType: ThriftType.Struct,
        items: Array.from({ length: 20 }, (_, i) => struct([[1, { type: ThriftType.I32, value: i }]])),
      },
    },
  ],
  // A jump of more than 15 field ids takes the long field header.
  [40, { type: ThriftType.Struct, value: struct([[3, { type: ThriftType.I64, value: 1_700_000_000_000_000_000n }]]) }],
  [41, { type: ThriftType.I32, value: 2 ** 31 - 1 }],
]);

test('every compact-protocol type survives encode and decode with its wire type', () => {
  const bytes = encodeThriftStruct(sample);
  const { struct: decoded, end } = decodeThriftStruct(bytes);
  assert.equal(end, bytes.length);
  assert.deepEqual(decoded, sample);
  // Re-encoding is byte for byte identical, which footer rewriting relies on.
  assert.deepEqual(encodeThriftStruct(decoded), bytes);
});

test('field order on the wire is ascending whatever the insertion order', () => {
  const backwards = new Map([...sample].reverse());
  assert.deepEqual(encodeThriftStruct(backwards), encodeThriftStruct(sample));
});

test('truncated or malformed input throws ThriftDecodeError, never reads past the end', () => {
  const bytes = encodeThriftStruct(sample);
  for (let length = 0; length < bytes.length; length++) {
    assert.throws(() => decodeThriftStruct(bytes.subarray(0, length)), ThriftDecodeError, `length ${length}`);
  }
  // A list claiming more elements than there are bytes left.
  assert.throws(() => decodeThriftStruct(new Uint8Array([0x19, 0xf5, 0xff, 0xff, 0x03, 0x00])), /overruns/);
  // Type 11 (map) is not used by Parquet.
  assert.throws(() => decodeThriftStruct(new Uint8Array([0x1b, 0x00])), /unsupported compact type 11/);
  // Deep nesting is refused before the stack is.
  const deep = new Uint8Array(200).fill(0x1c);
  assert.throws(() => decodeThriftStruct(deep), /nesting deeper/);
});
