/**
 * Aggregates over the values of a group rather than a running number: first_value,
 * last_value, median, string_agg, bool_and, bool_or. Values are kept per group (one array per
 * group, none per row); `update` is one indexed loop over the batch.
 */
import type { Column, RowValue } from '../column.ts';
import { columnFromValues, emptyValues, keyValueAt } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { isInteger, isNumeric } from '../data-type.ts';
import type { AggregateFunction, GroupsAccumulator } from './function.ts';
import { expectArgCount, noMatchingSignature, stringLike } from './helpers.ts';

type Value = number | string;

function validAt(column: Column, row: number): boolean {
  return column.type !== 'Null' && (column.valid === null || column.valid[row] === 1);
}

/** A column of one value (or NULL) per group. */
function groupColumn(type: SqlType, results: (Value | null)[]): Column {
  const length = results.length;
  // 64-bit values past 2^53 were picked as bigints (exact-integers.ts).
  if (results.some((value) => typeof value === 'bigint')) return columnFromValues(type, results as RowValue[]);
  const values = emptyValues(type, length) as unknown[];
  const valid = new Uint8Array(length);
  let anyNull = false;
  for (let group = 0; group < length; group++) {
    const value = results[group];
    if (value === null) anyNull = true;
    else {
      values[group] = value;
      valid[group] = 1;
    }
  }
  return { type, length, values: values as Column['values'], valid: anyNull ? valid : null };
}

/**
 * Keeps one value per group: the first or the last row's, NULL included (DataFusion's
 * first_value / last_value without IGNORE NULLS).
 */
function pickAccumulator(type: SqlType, last: boolean): GroupsAccumulator {
  const picked: (Value | null)[] = [];
  const seen: boolean[] = [];
  return {
    update(args, groupIds, groupCount) {
      while (picked.length < groupCount) {
        picked.push(null);
        seen.push(false);
      }
      const column = args[0];
      const values = column.values as ArrayLike<Value>;
      const exact = column.exact ?? null;
      for (let i = 0; i < groupIds.length; i++) {
        const group = groupIds[i];
        if (!last && seen[group]) continue;
        seen[group] = true;
        picked[group] = validAt(column, i) ? (exact === null ? values[i] : (keyValueAt(column, i) as Value)) : null;
      }
    },
    finish(groupCount) {
      while (picked.length < groupCount) picked.push(null);
      return groupColumn(type, picked.slice(0, groupCount));
    },
    bytes: () => picked.length * 16,
  };
}

/** Collects every non-null value per group and reduces each group's list at the end. */
function listAccumulator(type: SqlType, reduce: (values: Value[], args: Column[]) => Value | null): GroupsAccumulator {
  const lists: Value[][] = [];
  let extra: Column[] = [];
  let count = 0;
  return {
    update(args, groupIds, groupCount) {
      while (lists.length < groupCount) lists.push([]);
      extra = args;
      const column = args[0];
      const values = column.values as ArrayLike<Value>;
      for (let i = 0; i < groupIds.length; i++) {
        if (!validAt(column, i)) continue;
        lists[groupIds[i]].push(values[i]);
        count++;
      }
    },
    finish(groupCount) {
      while (lists.length < groupCount) lists.push([]);
      const results = lists.slice(0, groupCount).map((list) => (list.length === 0 ? null : reduce(list, extra)));
      return groupColumn(type, results);
    },
    bytes: () => count * 16 + lists.length * 32,
  };
}

function pick(name: string, last: boolean): AggregateFunction {
  return {
    name,
    signature: `${name}(T) -> T`,
    returnType(args) {
      expectArgCount(name, args, 1);
      return args[0];
    },
    createAccumulator: (_args, type) => pickAccumulator(type, last),
  };
}

/** `median(x)`: the middle value; for integers the mean of the two middles truncated, as DataFusion. */
const median: AggregateFunction = {
  name: 'median',
  signature: 'median(numeric) -> same type',
  returnType(args) {
    expectArgCount('median', args, 1);
    if (args[0] !== 'Null' && !isNumeric(args[0])) throw noMatchingSignature('median', args);
    return args[0] === 'Null' ? 'Float64' : args[0];
  },
  createAccumulator: (_args, type) =>
    listAccumulator(type, (list) => {
      const sorted = Float64Array.from(list as number[]).sort();
      const middle = sorted.length >> 1;
      if (sorted.length % 2 === 1) return sorted[middle];
      const mean = (sorted[middle - 1] + sorted[middle]) / 2;
      return isInteger(type) ? Math.trunc(mean) : mean;
    }),
};

/** `string_agg(x, delimiter)`: the group's strings joined by the delimiter. */
const stringAgg: AggregateFunction = {
  name: 'string_agg',
  signature: 'string_agg(Utf8, Utf8) -> Utf8',
  returnType(args) {
    expectArgCount('string_agg', args, 2);
    if (!args.every(stringLike)) throw noMatchingSignature('string_agg', args);
    return 'Utf8';
  },
  createAccumulator: () =>
    listAccumulator('Utf8', (list, args) => {
      const delimiter = args[1];
      const separator = validAt(delimiter, 0) ? (delimiter.values as string[])[0] : '';
      return list.join(separator);
    }),
};

/** `bool_and(x)` / `bool_or(x)`: NULLs ignored, NULL for a group with none. */
function boolAggregate(name: string, and: boolean): AggregateFunction {
  return {
    name,
    signature: `${name}(Boolean) -> Boolean`,
    returnType(args) {
      expectArgCount(name, args, 1);
      if (args[0] !== 'Boolean' && args[0] !== 'Null') throw noMatchingSignature(name, args);
      return 'Boolean';
    },
    createAccumulator: () => {
      const state: (number | null)[] = [];
      return {
        update(args, groupIds, groupCount) {
          while (state.length < groupCount) state.push(null);
          const column = args[0];
          const values = column.values as Uint8Array;
          for (let i = 0; i < groupIds.length; i++) {
            if (!validAt(column, i)) continue;
            const group = groupIds[i];
            const current = state[group];
            state[group] = current === null ? values[i] : and ? current & values[i] : current | values[i];
          }
        },
        finish(groupCount) {
          while (state.length < groupCount) state.push(null);
          return groupColumn('Boolean', state.slice(0, groupCount));
        },
        bytes: () => state.length * 16,
      };
    },
  };
}

/** These aggregates, registered by registry.ts. */
export const collectAggregates: AggregateFunction[] = [
  pick('first_value', false),
  pick('last_value', true),
  median,
  stringAgg,
  boolAggregate('bool_and', true),
  boolAggregate('bool_or', false),
];
