/**
 * Aggregates: count, sum, avg, min, max (and `count(*)`). Each keeps per-group state in typed
 * arrays that grow by doubling; `update` is one indexed loop over the batch.
 */
import { isDecimal } from '../data-type.ts';
import { decimalAvgType, decimalSumAccumulator, decimalSumType } from './decimal-aggregates.ts';
import type { Column } from '../column.ts';
import { emptyValues } from '../column.ts';
import { bigintOfFloat, isWide, wrapInt64 } from '../exact-integers.ts';
import type { SqlType } from '../data-type.ts';
import { isFloatStored, isInteger, isNumeric } from '../data-type.ts';
import type { AggregateFunction, GroupsAccumulator } from './function.ts';
import { expectArgCount, noMatchingSignature } from './helpers.ts';
import { executionError } from '../errors.ts';

function grow(array: Float64Array, size: number): Float64Array {
  if (array.length >= size) return array;
  const next = new Float64Array(Math.max(size, array.length * 2, 16));
  next.set(array);
  return next;
}

function growBytes(array: Uint8Array, size: number): Uint8Array {
  if (array.length >= size) return array;
  const next = new Uint8Array(Math.max(size, array.length * 2, 16));
  next.set(array);
  return next;
}

/** `count(x)` counts non-null rows; `count(*)` (no arguments) counts rows. */
const count: AggregateFunction = {
  name: 'count',
  signature: 'count(any) -> Int64',
  returnType(args) {
    if (args.length > 1) throw noMatchingSignature('count', args);
    return 'Int64';
  },
  createAccumulator(): GroupsAccumulator {
    let counts: Float64Array = new Float64Array(16);
    return {
      update(args, groupIds, groupCount) {
        counts = grow(counts, groupCount);
        const column = args[0] as Column | undefined;
        if (column !== undefined && column.type === 'Null') return;
        const valid = column?.valid ?? null;
        for (let i = 0; i < groupIds.length; i++) if (valid === null || valid[i] === 1) counts[groupIds[i]]++;
      },
      finish(groupCount) {
        counts = grow(counts, groupCount);
        return { type: 'Int64', length: groupCount, values: counts.slice(0, groupCount), valid: null };
      },
      bytes: () => counts.byteLength,
    };
  },
};

/** State shared by sum and avg: a running sum and a count of non-null rows per group. */
function sumAccumulator(type: SqlType, average: boolean): GroupsAccumulator {
  let sums: Float64Array = new Float64Array(16);
  let counts: Float64Array = new Float64Array(16);
  // Integer sums past 2^53 (or of values past it) continue in BigInt, wrapping as DataFusion's.
  const integer = !average && (type === 'Int64' || type === 'UInt64');
  let bigSums: Map<number, bigint> | null = null;
  return {
    update(args, groupIds, groupCount) {
      sums = grow(sums, groupCount);
      counts = grow(counts, groupCount);
      const column = args[0];
      if (column.type === 'Null') return;
      const values = column.values as Float64Array;
      const valid = column.valid;
      if (integer) {
        const exact = column.exact ?? null;
        for (let i = 0; i < groupIds.length; i++) {
          if (valid !== null && valid[i] === 0) continue;
          const group = groupIds[i];
          counts[group]++;
          const value = values[i];
          const big = bigSums?.get(group);
          if (big === undefined) {
            const next = sums[group] + value;
            if (!isWide(next) && !isWide(value)) {
              sums[group] = next;
              continue;
            }
          }
          const addend = exact !== null ? exact[i] : bigintOfFloat(value);
          const total = wrapInt64((big ?? bigintOfFloat(sums[group])) + BigInt(addend), type);
          (bigSums ??= new Map()).set(group, total);
          sums[group] = Number(total);
        }
        return;
      }
      if (valid === null) {
        for (let i = 0; i < groupIds.length; i++) {
          const group = groupIds[i];
          sums[group] += values[i];
          counts[group]++;
        }
      } else {
        for (let i = 0; i < groupIds.length; i++) {
          if (valid[i] === 0) continue;
          const group = groupIds[i];
          sums[group] += values[i];
          counts[group]++;
        }
      }
    },
    finish(groupCount) {
      sums = grow(sums, groupCount);
      counts = grow(counts, groupCount);
      const values = new Float64Array(groupCount);
      const valid = new Uint8Array(groupCount);
      let anyNull = false;
      for (let group = 0; group < groupCount; group++) {
        if (counts[group] === 0) {
          anyNull = true;
          continue;
        }
        valid[group] = 1;
        values[group] = average ? sums[group] / counts[group] : sums[group];
      }
      const result: Column = { type, length: groupCount, values, valid: anyNull ? valid : null };
      if (bigSums !== null) {
        const exact = type === 'UInt64' ? new BigUint64Array(groupCount) : new BigInt64Array(groupCount);
        for (let group = 0; group < groupCount; group++)
          exact[group] = bigSums.get(group) ?? bigintOfFloat(values[group]);
        result.exact = exact;
      }
      return result;
    },
    bytes: () => sums.byteLength + counts.byteLength,
  };
}

/** `sum(x)`: Int64 for integers, Float64 for floats (DataFusion's widening); NULL for no rows. */
const sum: AggregateFunction = {
  name: 'sum',
  signature: 'sum(numeric) -> Int64 | Float64',
  returnType(args) {
    expectArgCount('sum', args, 1);
    if (args[0] === 'Null') return 'Int64';
    if (isDecimal(args[0])) return decimalSumType(args[0]);
    if (!isNumeric(args[0])) throw noMatchingSignature('sum', args);
    return isInteger(args[0]) ? (args[0].startsWith('U') ? 'UInt64' : 'Int64') : 'Float64';
  },
  createAccumulator: (args, type) =>
    isDecimal(args[0]) && isDecimal(type) ? decimalSumAccumulator(args[0], type, false) : sumAccumulator(type, false),
};

/** `avg(x)`: Float64. */
const avg: AggregateFunction = {
  name: 'avg',
  signature: 'avg(numeric) -> Float64',
  returnType(args) {
    expectArgCount('avg', args, 1);
    if (isDecimal(args[0])) return decimalAvgType(args[0]);
    if (!(isNumeric(args[0]) || args[0] === 'Null')) throw noMatchingSignature('avg', args);
    return 'Float64';
  },
  createAccumulator: (args, type) => {
    // DataFusion has no average of the Null type: `avg(NULL)` fails when it runs.
    if (args[0] === 'Null') throw executionError('Execution error: AvgAccumulator for (Null --> Float64)');
    return isDecimal(args[0]) && isDecimal(type)
      ? decimalSumAccumulator(args[0], type, true)
      : sumAccumulator('Float64', true);
  },
};

function extremeAccumulator(type: SqlType, greater: boolean): GroupsAccumulator {
  if (isFloatStored(type) || type === 'Boolean') {
    let best: Float64Array = new Float64Array(16);
    let seen: Uint8Array = new Uint8Array(16);
    // Groups whose best is a 64-bit value past 2^53: its exact bigint (floats there may tie).
    let bestExact: Map<number, bigint> | null = null;
    return {
      update(args, groupIds, groupCount) {
        best = grow(best, groupCount);
        seen = growBytes(seen, groupCount);
        const column = args[0];
        if (column.type === 'Null') return;
        const values = column.values as Float64Array | Uint8Array;
        const valid = column.valid;
        const exact = column.exact ?? null;
        for (let i = 0; i < groupIds.length; i++) {
          if (valid !== null && valid[i] === 0) continue;
          const group = groupIds[i];
          const value = values[i];
          if (seen[group] === 0 || (greater ? value > best[group] : value < best[group])) {
            best[group] = value;
            seen[group] = 1;
            if (exact !== null && isWide(value)) (bestExact ??= new Map()).set(group, exact[i]);
            else bestExact?.delete(group);
          } else if (exact !== null && value === best[group] && isWide(value)) {
            const current = bestExact?.get(group) ?? bigintOfFloat(value);
            const candidate = exact[i];
            if (greater ? candidate > current : candidate < current) (bestExact ??= new Map()).set(group, candidate);
          }
        }
      },
      finish(groupCount) {
        best = grow(best, groupCount);
        seen = growBytes(seen, groupCount);
        const values = type === 'Boolean' ? Uint8Array.from(best.subarray(0, groupCount)) : best.slice(0, groupCount);
        const valid = seen.slice(0, groupCount);
        const result: Column = {
          type,
          length: groupCount,
          values,
          valid: valid.every((bit) => bit === 1) ? null : valid,
        };
        if (bestExact !== null && bestExact.size > 0) {
          const exact = type === 'UInt64' ? new BigUint64Array(groupCount) : new BigInt64Array(groupCount);
          for (let group = 0; group < groupCount; group++) {
            exact[group] = bestExact.get(group) ?? bigintOfFloat((values as Float64Array)[group]);
          }
          result.exact = exact;
        }
        return result;
      },
      bytes: () => best.byteLength + seen.byteLength,
    };
  }
  const best: (string | undefined)[] = [];
  return {
    update(args, groupIds) {
      const column = args[0];
      if (column.type === 'Null') return;
      const values = column.values as string[];
      const valid = column.valid;
      for (let i = 0; i < groupIds.length; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const group = groupIds[i];
        const current = best[group];
        if (current === undefined || (greater ? values[i] > current : values[i] < current)) best[group] = values[i];
      }
    },
    finish(groupCount) {
      const values = emptyValues(type, groupCount) as string[];
      const valid = new Uint8Array(groupCount);
      for (let group = 0; group < groupCount; group++) {
        const value = best[group];
        if (value !== undefined) {
          values[group] = value;
          valid[group] = 1;
        }
      }
      return { type, length: groupCount, values, valid: valid.every((bit) => bit === 1) ? null : valid };
    },
    bytes: () => best.length * 32,
  };
}

function extreme(name: string, greater: boolean): AggregateFunction {
  return {
    name,
    signature: `${name}(T) -> T`,
    returnType(args) {
      expectArgCount(name, args, 1);
      return args[0];
    },
    createAccumulator: (_args, type) => extremeAccumulator(type, greater),
  };
}

/** Aggregates, registered by registry.ts. */
export const aggregateFunctions: AggregateFunction[] = [count, sum, avg, extreme('min', false), extreme('max', true)];
