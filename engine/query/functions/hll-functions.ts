/**
 * GreptimeDB's HyperLogLog functions: the `hll(x)` aggregate makes a distinct-count state (a
 * Binary, storable in a table), `hll_merge(state)` unions states, `hll_count(state)` estimates the
 * number of distinct values. The state is Tessera's own (GreptimeDB's is a bincode-serialized
 * HyperLogLogPlus; states do not move between the two), built the same way HLL++ behaves: up to
 * `SPARSE_LIMIT` distinct 64-bit hashes are kept as they are, so small counts are exact; past that,
 * 2^14 registers (HLL++'s default precision) and the HyperLogLog estimate with linear counting for
 * small ranges.
 *
 * Layout: byte 0 is the kind; sparse (1): a u32 count, then each hash as two little-endian u32
 * (high, low), sorted; dense (2): 2^14 register bytes.
 */
import type { Column } from '../column.ts';
import { columnValue, isNullAt } from '../column.ts';
import { executionError } from '../errors.ts';
import type { AggregateFunction, GroupsAccumulator, ScalarFunction } from './function.ts';
import { expectArgCount, noMatchingSignature } from './helpers.ts';

const PRECISION = 14;
const REGISTERS = 1 << PRECISION;
const SPARSE_LIMIT = 4096;
const SPARSE = 1;
const DENSE = 2;

/** A distinct-count sketch: exact hashes while few, registers after. */
interface Sketch {
  hashes: Set<bigint> | null;
  registers: Uint8Array | null;
}

const encoder = new TextEncoder();

/** Two FNV-1a passes with different offsets make 64 hash bits of the value's text. */
function hash64(text: string): bigint {
  const bytes = encoder.encode(text);
  let high = 0x811c9dc5;
  let low = 0x050c5d1f;
  for (const byte of bytes) {
    high = Math.imul(high ^ byte, 0x01000193);
    low = Math.imul(low ^ byte, 0x01000193);
    low = Math.imul(low ^ (low >>> 15), 0x2c1b3c6d);
  }
  // Final mixing so nearby texts spread over the top bits (the register index).
  high = Math.imul(high ^ (high >>> 16), 0x85ebca6b);
  high = Math.imul(high ^ (high >>> 13), 0xc2b2ae35) ^ low;
  high ^= high >>> 16;
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

function newSketch(): Sketch {
  return { hashes: new Set(), registers: null };
}

function addToRegisters(registers: Uint8Array, hash: bigint): void {
  const index = Number(hash >> BigInt(64 - PRECISION));
  const rest = BigInt.asUintN(64 - PRECISION, hash);
  // Rank: the position of the first 1 bit in the remaining 50 bits (51 when all are 0).
  let rank = 1;
  for (let bit = 64 - PRECISION - 1; bit >= 0 && ((rest >> BigInt(bit)) & 1n) === 0n; bit--) rank++;
  if (rank > registers[index]) registers[index] = rank;
}

function addHash(sketch: Sketch, hash: bigint): void {
  if (sketch.hashes !== null) {
    sketch.hashes.add(hash);
    if (sketch.hashes.size <= SPARSE_LIMIT) return;
    const registers = new Uint8Array(REGISTERS);
    for (const each of sketch.hashes) addToRegisters(registers, each);
    sketch.hashes = null;
    sketch.registers = registers;
    return;
  }
  addToRegisters(sketch.registers!, hash);
}

function merge(into: Sketch, other: Sketch): void {
  if (other.hashes !== null) {
    for (const hash of other.hashes) addHash(into, hash);
    return;
  }
  if (into.hashes !== null) {
    const registers = new Uint8Array(REGISTERS);
    for (const hash of into.hashes) addToRegisters(registers, hash);
    into.hashes = null;
    into.registers = registers;
  }
  const registers = into.registers!;
  const theirs = other.registers!;
  for (let i = 0; i < REGISTERS; i++) if (theirs[i] > registers[i]) registers[i] = theirs[i];
}

function estimate(sketch: Sketch): number {
  if (sketch.hashes !== null) return sketch.hashes.size;
  const registers = sketch.registers!;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < REGISTERS; i++) {
    sum += 2 ** -registers[i];
    if (registers[i] === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / REGISTERS);
  const raw = (alpha * REGISTERS * REGISTERS) / sum;
  if (raw <= 2.5 * REGISTERS && zeros > 0) return Math.round(REGISTERS * Math.log(REGISTERS / zeros));
  return Math.round(raw);
}

function serialize(sketch: Sketch): Uint8Array {
  if (sketch.hashes === null) {
    const bytes = new Uint8Array(1 + REGISTERS);
    bytes[0] = DENSE;
    bytes.set(sketch.registers!, 1);
    return bytes;
  }
  const sorted = [...sketch.hashes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bytes = new Uint8Array(5 + sorted.length * 8);
  const view = new DataView(bytes.buffer);
  bytes[0] = SPARSE;
  view.setUint32(1, sorted.length, true);
  sorted.forEach((hash, index) => {
    view.setUint32(5 + index * 8, Number(hash >> 32n), true);
    view.setUint32(9 + index * 8, Number(hash & 0xffffffffn), true);
  });
  return bytes;
}

function deserialize(bytes: Uint8Array): Sketch {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === DENSE && bytes.length === 1 + REGISTERS) {
    return { hashes: null, registers: bytes.slice(1) };
  }
  if (bytes[0] === SPARSE && bytes.length >= 5) {
    const count = view.getUint32(1, true);
    if (bytes.length === 5 + count * 8) {
      const hashes = new Set<bigint>();
      for (let i = 0; i < count; i++) {
        hashes.add((BigInt(view.getUint32(5 + i * 8, true)) << 32n) | BigInt(view.getUint32(9 + i * 8, true)));
      }
      return { hashes, registers: null };
    }
  }
  throw executionError('Execution error: Failed to deserialize HyperLogLogPlus from binary');
}

/** One sketch per group; `add` folds a row of the argument into its group's sketch. */
function sketchAccumulator(add: (sketch: Sketch, column: Column, row: number) => void): GroupsAccumulator {
  const sketches: Sketch[] = [];
  let bytes = 0;
  return {
    update(args, groupIds, groupCount) {
      while (sketches.length < groupCount) sketches.push(newSketch());
      const column = args[0];
      for (let i = 0; i < groupIds.length; i++) {
        if (isNullAt(column, i)) continue;
        add(sketches[groupIds[i]], column, i);
        bytes += 8;
      }
    },
    finish(groupCount) {
      while (sketches.length < groupCount) sketches.push(newSketch());
      const values = sketches.slice(0, groupCount).map(serialize);
      return { type: 'Binary', length: groupCount, values, valid: null };
    },
    bytes: () => bytes + sketches.length * 64,
  };
}

function valueText(column: Column, row: number): string {
  const value = columnValue(column, row);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return typeof value === 'object' ? JSON.stringify(value, (_key, item: unknown) => String(item)) : String(value);
}

const hll: AggregateFunction = {
  name: 'hll',
  signature: 'hll(T) -> Binary',
  returnType(args) {
    expectArgCount('hll', args, 1);
    return 'Binary';
  },
  createAccumulator: () => sketchAccumulator((sketch, column, row) => addHash(sketch, hash64(valueText(column, row)))),
};

const hllMerge: AggregateFunction = {
  name: 'hll_merge',
  signature: 'hll_merge(Binary) -> Binary',
  returnType(args) {
    expectArgCount('hll_merge', args, 1);
    if (args[0] !== 'Binary' && args[0] !== 'Null') throw noMatchingSignature('hll_merge', args);
    return 'Binary';
  },
  createAccumulator: () =>
    sketchAccumulator((sketch, column, row) => merge(sketch, deserialize(columnValue(column, row) as Uint8Array))),
};

const hllCount: ScalarFunction = {
  name: 'hll_count',
  signature: 'hll_count(Binary) -> UInt64',
  returnType(args) {
    expectArgCount('hll_count', args, 1);
    if (args[0] !== 'Binary' && args[0] !== 'Null') throw noMatchingSignature('hll_count', args);
    return 'UInt64';
  },
  evaluate(args, length) {
    const [state] = args;
    const values = new Float64Array(length);
    let valid: Uint8Array | null = null;
    for (let row = 0; row < length; row++) {
      if (isNullAt(state, row)) {
        valid ??= new Uint8Array(length).fill(1);
        valid[row] = 0;
        continue;
      }
      values[row] = estimate(deserialize(columnValue(state, row) as Uint8Array));
    }
    return { type: 'UInt64', length, values, valid };
  },
};

export const hllFunctions: ScalarFunction[] = [hllCount];
export const hllAggregates: AggregateFunction[] = [hll, hllMerge];
