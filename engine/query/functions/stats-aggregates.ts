/**
 * Statistical aggregates over one or two numeric columns: corr, covar_samp / covar_pop,
 * stddev / variance (sample and population), the regr_* family and bit_and / bit_or / bit_xor.
 *
 * The moments are folded with Welford's online updates in row order, the way DataFusion's
 * accumulators do, so results agree with GreptimeDB to the last bit. DataFusion computes a
 * grouped `corr` (GROUP BY) from plain sums instead, which rounds differently; the `grouped`
 * accumulator option selects that form.
 */
import type { Column } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { isDecimal, isInteger } from '../data-type.ts';
import { castColumn } from '../evaluate.ts';
import type { AggregateFunction, GroupsAccumulator } from './function.ts';
import { expectArgCount, noMatchingSignature, numericLike } from './helpers.ts';

function grow(array: Float64Array, size: number): Float64Array {
  if (array.length >= size) return array;
  const next = new Float64Array(Math.max(size, array.length * 2, 16));
  next.set(array);
  return next;
}

function rowValid(column: Column, row: number): boolean {
  return column.type !== 'Null' && (column.valid === null || column.valid[row] === 1);
}

/** Per-group moments of one or two variables, in named Float64Arrays that grow together. */
class Moments {
  count: Float64Array = new Float64Array(16);
  meanX: Float64Array = new Float64Array(16);
  meanY: Float64Array = new Float64Array(16);
  m2X: Float64Array = new Float64Array(16);
  m2Y: Float64Array = new Float64Array(16);
  coMoment: Float64Array = new Float64Array(16);

  ensure(size: number): void {
    this.count = grow(this.count, size);
    this.meanX = grow(this.meanX, size);
    this.meanY = grow(this.meanY, size);
    this.m2X = grow(this.m2X, size);
    this.m2Y = grow(this.m2Y, size);
    this.coMoment = grow(this.coMoment, size);
  }

  /** Welford's update with the pair (x, y), as DataFusion's covariance / regr accumulators. */
  add(group: number, x: number, y: number): void {
    const n = ++this.count[group];
    const deltaX = x - this.meanX[group];
    const deltaY = y - this.meanY[group];
    this.meanX[group] += deltaX / n;
    this.meanY[group] += deltaY / n;
    this.m2X[group] += deltaX * (x - this.meanX[group]);
    this.m2Y[group] += deltaY * (y - this.meanY[group]);
    this.coMoment[group] += deltaX * (y - this.meanY[group]);
  }

  bytes(): number {
    return this.count.byteLength * 6;
  }
}

/** Decimals are folded as Float64, as DataFusion casts them for these aggregates. */
function asFloat(column: Column): Column {
  return isDecimal(column.type) ? castColumn(column, 'Float64', false) : column;
}

/** Whether a type may stand as a number here (decimals included). */
function numberArg(type: SqlType): boolean {
  return numericLike(type) || isDecimal(type);
}

/** Folds rows where every argument is non-null; `y` defaults to `x` for one-argument aggregates. */
function foldMoments(moments: Moments, args: Column[], groupIds: Int32Array, groupCount: number): void {
  moments.ensure(groupCount);
  const xColumn = asFloat(args[0]);
  const yColumn = asFloat(args[1] ?? args[0]);
  if (xColumn.type === 'Null' || yColumn.type === 'Null') return;
  const xs = xColumn.values as Float64Array;
  const ys = yColumn.values as Float64Array;
  for (let i = 0; i < groupIds.length; i++) {
    if (!rowValid(xColumn, i) || !rowValid(yColumn, i)) continue;
    moments.add(groupIds[i], xs[i], ys[i]);
  }
}

/** A Float64 result column: `compute` gives each group's value or null. */
function resultColumn(type: SqlType, groupCount: number, compute: (group: number) => number | null): Column {
  const values = new Float64Array(groupCount);
  const valid = new Uint8Array(groupCount);
  let anyNull = false;
  for (let group = 0; group < groupCount; group++) {
    const value = compute(group);
    if (value === null) anyNull = true;
    else {
      values[group] = value;
      valid[group] = 1;
    }
  }
  return { type, length: groupCount, values, valid: anyNull ? valid : null };
}

function momentsAggregate(
  name: string,
  arity: 1 | 2,
  type: SqlType,
  evaluate: (m: Moments, group: number) => number | null,
): AggregateFunction {
  return {
    name,
    signature: arity === 1 ? `${name}(numeric) -> ${type}` : `${name}(numeric, numeric) -> ${type}`,
    returnType(args) {
      expectArgCount(name, args, arity);
      if (!args.every(numberArg)) throw noMatchingSignature(name, args);
      return type;
    },
    createAccumulator(): GroupsAccumulator {
      const moments = new Moments();
      return {
        update: (args, groupIds, groupCount) => foldMoments(moments, args, groupIds, groupCount),
        finish(groupCount) {
          moments.ensure(groupCount);
          return resultColumn(type, groupCount, (group) => evaluate(moments, group));
        },
        bytes: () => moments.bytes(),
      };
    },
  };
}

/** Variance of x: population divides by n, sample by n - 1 (NULL below 2 rows). */
function variance(m: Moments, group: number, population: boolean): number | null {
  const n = m.count[group];
  const divisor = population ? n : n - 1;
  if (n === 0 || divisor <= 0) return null;
  return m.m2X[group] / divisor;
}

function covariance(m: Moments, group: number, population: boolean): number | null {
  const n = m.count[group];
  const divisor = population ? n : n - 1;
  if (n === 0 || divisor <= 0) return null;
  return m.coMoment[group] / divisor;
}

/** `corr(x, y)`: Pearson's coefficient; NULL below 2 rows or for a constant variable. */
const corr: AggregateFunction = {
  name: 'corr',
  signature: 'corr(numeric, numeric) -> Float64',
  returnType(args) {
    expectArgCount('corr', args, 2);
    if (!args.every(numberArg)) throw noMatchingSignature('corr', args);
    return 'Float64';
  },
  createAccumulator(_args, _type, options): GroupsAccumulator {
    if (options?.grouped === true) return sumsCorrelation();
    const moments = new Moments();
    return {
      update: (args, groupIds, groupCount) => foldMoments(moments, args, groupIds, groupCount),
      finish(groupCount) {
        moments.ensure(groupCount);
        return resultColumn('Float64', groupCount, (group) => {
          const n = moments.count[group];
          if (n < 2) return null;
          const stddevX = Math.sqrt(moments.m2X[group] / n);
          const stddevY = Math.sqrt(moments.m2Y[group] / n);
          if (stddevX === 0 || stddevY === 0) return null;
          return moments.coMoment[group] / n / stddevX / stddevY;
        });
      },
      bytes: () => moments.bytes(),
    };
  },
};

/** DataFusion's grouped corr: sums of x, y, xy, x², y² per group, combined at the end. */
function sumsCorrelation(): GroupsAccumulator {
  let sums = new Float64Array(16 * 6);
  return {
    update(args, groupIds, groupCount) {
      if (sums.length < groupCount * 6) {
        const next = new Float64Array(Math.max(groupCount, sums.length / 3) * 6);
        next.set(sums);
        sums = next;
      }
      const [xColumn, yColumn] = args.map(asFloat);
      if (xColumn.type === 'Null' || yColumn.type === 'Null') return;
      const xs = xColumn.values as Float64Array;
      const ys = yColumn.values as Float64Array;
      for (let i = 0; i < groupIds.length; i++) {
        if (!rowValid(xColumn, i) || !rowValid(yColumn, i)) continue;
        const base = groupIds[i] * 6;
        const x = xs[i];
        const y = ys[i];
        sums[base]++;
        sums[base + 1] += x;
        sums[base + 2] += y;
        sums[base + 3] += x * y;
        sums[base + 4] += x * x;
        sums[base + 5] += y * y;
      }
    },
    finish(groupCount) {
      return resultColumn('Float64', groupCount, (group) => {
        const base = group * 6;
        const n = base < sums.length ? sums[base] : 0;
        if (n < 2) return null;
        const meanX = sums[base + 1] / n;
        const meanY = sums[base + 2] / n;
        const numerator = sums[base + 3] / n - meanX * meanY;
        const denominator =
          Math.sqrt(sums[base + 4] / n - meanX * meanX) * Math.sqrt(sums[base + 5] / n - meanY * meanY);
        if (denominator === 0 || Number.isNaN(denominator)) return null;
        return numerator / denominator;
      });
    },
    bytes: () => sums.byteLength,
  };
}

/**
 * The regr_* family over (y, x) pairs, as DataFusion's `Regr` accumulator: slope, intercept
 * and r2 are NULL below 2 pairs or when x (or, for r2, y) is constant.
 */
function regr(name: string, evaluate: (m: Moments, group: number) => number | null, type: SqlType = 'Float64') {
  // Moments hold x as the first argument; regr_*(y, x) takes the dependent variable first.
  const fn = momentsAggregate(name, 2, type, evaluate);
  return {
    ...fn,
    createAccumulator(args: SqlType[], returnType: SqlType): GroupsAccumulator {
      const inner = fn.createAccumulator(args, returnType);
      return {
        ...inner,
        update: (columns, groupIds, groupCount) => inner.update([columns[1], columns[0]], groupIds, groupCount),
      };
    },
  } satisfies AggregateFunction;
}

function slope(m: Moments, group: number): number | null {
  const n = m.count[group];
  const varianceX = m.m2X[group] / n;
  if (n <= 1 || varianceX === 0) return null;
  return m.coMoment[group] / n / varianceX;
}

const regrFunctions: AggregateFunction[] = [
  regr('regr_slope', slope),
  regr('regr_intercept', (m, group) => {
    const value = slope(m, group);
    return value === null ? null : m.meanY[group] - value * m.meanX[group];
  }),
  regr('regr_count', (m, group) => m.count[group], 'UInt64'),
  regr('regr_r2', (m, group) => {
    const n = m.count[group];
    const varianceX = m.m2X[group] / n;
    const varianceY = m.m2Y[group] / n;
    if (n <= 1 || varianceX === 0 || varianceY === 0) return null;
    const covariancePop = m.coMoment[group] / n;
    return (covariancePop * covariancePop) / (varianceX * varianceY);
  }),
  regr('regr_avgx', (m, group) => (m.count[group] < 1 ? null : m.meanX[group])),
  regr('regr_avgy', (m, group) => (m.count[group] < 1 ? null : m.meanY[group])),
  regr('regr_sxx', (m, group) => (m.count[group] < 1 ? null : m.m2X[group])),
  regr('regr_syy', (m, group) => (m.count[group] < 1 ? null : m.m2Y[group])),
  regr('regr_sxy', (m, group) => (m.count[group] < 1 ? null : m.coMoment[group])),
];

/** `bit_and` / `bit_or` / `bit_xor` over integers: the argument's type; NULL for no rows. */
function bitAggregate(name: string, combine: (a: bigint, b: bigint) => bigint): AggregateFunction {
  return {
    name,
    signature: `${name}(integer) -> same type`,
    returnType(args) {
      expectArgCount(name, args, 1);
      if (args[0] === 'Null') return 'Int64';
      if (!isInteger(args[0])) throw noMatchingSignature(name, args);
      return args[0];
    },
    createAccumulator(_args, type): GroupsAccumulator {
      const state: (bigint | null)[] = [];
      return {
        update(args, groupIds, groupCount) {
          while (state.length < groupCount) state.push(null);
          const column = args[0];
          if (column.type === 'Null') return;
          const values = column.values as Float64Array;
          for (let i = 0; i < groupIds.length; i++) {
            if (!rowValid(column, i)) continue;
            const group = groupIds[i];
            const value = BigInt(values[i]);
            const current = state[group];
            state[group] = current === null ? value : combine(current, value);
          }
        },
        finish(groupCount) {
          while (state.length < groupCount) state.push(null);
          return resultColumn(type, groupCount, (group) => {
            const value = state[group];
            return value === null ? null : Number(value);
          });
        },
        bytes: () => state.length * 16,
      };
    },
  };
}

/** These aggregates, registered by registry.ts. */
export const statsAggregates: AggregateFunction[] = [
  corr,
  momentsAggregate('covar_samp', 2, 'Float64', (m, group) => covariance(m, group, false)),
  momentsAggregate('covar', 2, 'Float64', (m, group) => covariance(m, group, false)),
  momentsAggregate('covar_pop', 2, 'Float64', (m, group) => covariance(m, group, true)),
  momentsAggregate('var_samp', 1, 'Float64', (m, group) => variance(m, group, false)),
  momentsAggregate('var', 1, 'Float64', (m, group) => variance(m, group, false)),
  momentsAggregate('var_sample', 1, 'Float64', (m, group) => variance(m, group, false)),
  momentsAggregate('var_pop', 1, 'Float64', (m, group) => variance(m, group, true)),
  momentsAggregate('var_population', 1, 'Float64', (m, group) => variance(m, group, true)),
  momentsAggregate('stddev', 1, 'Float64', (m, group) => sqrtOrNull(variance(m, group, false))),
  momentsAggregate('stddev_samp', 1, 'Float64', (m, group) => sqrtOrNull(variance(m, group, false))),
  momentsAggregate('stddev_pop', 1, 'Float64', (m, group) => sqrtOrNull(variance(m, group, true))),
  ...regrFunctions,
  bitAggregate('bit_and', (a, b) => a & b),
  bitAggregate('bit_or', (a, b) => a | b),
  bitAggregate('bit_xor', (a, b) => a ^ b),
];

function sqrtOrNull(value: number | null): number | null {
  return value === null ? null : Math.sqrt(value);
}
