/** Math functions: abs, round, floor, ceil, sqrt, pow/power, ln, log10, log2, exp, signum, trunc. */
import type { Column } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { isInteger } from '../data-type.ts';
import { executionError } from '../errors.ts';
import type { ScalarFunction } from './function.ts';
import { expectArgCount, mapNumber, mergeValidity, noMatchingSignature, numericLike } from './helpers.ts';

function unaryFloat(name: string, fn: (value: number) => number): ScalarFunction {
  return {
    name,
    signature: `${name}(numeric) -> Float64`,
    returnType(args) {
      expectArgCount(name, args, 1);
      if (!numericLike(args[0])) throw noMatchingSignature(name, args);
      return 'Float64';
    },
    evaluate: (args, length, type) => mapNumber(args[0], length, type, fn),
  };
}

/** `abs(x)`: keeps the argument's type, as DataFusion does. */
const abs: ScalarFunction = {
  name: 'abs',
  signature: 'abs(numeric) -> same type',
  returnType(args) {
    expectArgCount('abs', args, 1);
    if (!numericLike(args[0])) throw noMatchingSignature('abs', args);
    return args[0] === 'Null' ? 'Float64' : args[0];
  },
  evaluate: (args, length, type) => mapNumber(args[0], length, type, Math.abs),
};

/** `round(x [, digits])`: half away from zero, as DataFusion's `round`. */
const round: ScalarFunction = {
  name: 'round',
  signature: 'round(numeric [, Int64]) -> Float64',
  returnType(args) {
    expectArgCount('round', args, 1, 2);
    if (!args.every(numericLike)) throw noMatchingSignature('round', args);
    return 'Float64';
  },
  evaluate(args, length, type) {
    const value = args[0];
    if (args.length === 1) return mapNumber(value, length, type, roundHalfAway);
    const digits = args[1].values as Float64Array;
    const source = value.values as Float64Array;
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const scale = 10 ** Math.trunc(digits[i]);
      out[i] = roundHalfAway(source[i] * scale) / scale;
    }
    return { type, length, values: out, valid: mergeValidity(args, length) };
  },
};

function roundHalfAway(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

/** `pow(x, y)` / `power(x, y)`: Float64 (Int64 when both are integers in DataFusion; kept Float64 here). */
function power(name: string): ScalarFunction {
  return {
    name,
    signature: `${name}(numeric, numeric) -> Float64`,
    returnType(args) {
      expectArgCount(name, args, 2);
      if (!args.every(numericLike)) throw noMatchingSignature(name, args);
      return 'Float64';
    },
    evaluate(args: Column[], length: number, type: SqlType) {
      const base = args[0].values as Float64Array;
      const exponent = args[1].values as Float64Array;
      const out = new Float64Array(length);
      for (let i = 0; i < length; i++) out[i] = base[i] ** exponent[i];
      return { type, length, values: out, valid: mergeValidity(args, length) };
    },
  };
}

/** The numeric type of `args` (Int64 for integers, Float64 once a float is among them). */
function numericResult(name: string, args: SqlType[], count: number): SqlType {
  expectArgCount(name, args, count);
  if (!args.every(numericLike)) throw noMatchingSignature(name, args);
  return args.every((arg) => isInteger(arg) || arg === 'Null') ? 'Int64' : 'Float64';
}

/** A numeric function of a fixed number of arguments, NULL when any is NULL. */
function numericFunction(name: string, count: number, fn: (values: number[]) => number): ScalarFunction {
  return {
    name,
    signature: `${name}(${new Array(count).fill('numeric').join(', ')}) -> Int64 | Float64`,
    returnType: (args) => numericResult(name, args, count),
    evaluate(args, length, type) {
      const sources = args.map((column) => column.values as Float64Array);
      const out = new Float64Array(length);
      const row = new Array<number>(count);
      for (let i = 0; i < length; i++) {
        for (let k = 0; k < count; k++) row[k] = sources[k][i];
        out[i] = fn(row);
      }
      const valid = args.some((column) => column.type === 'Null')
        ? new Uint8Array(length)
        : mergeValidity(args, length);
      return { type, length, values: out, valid };
    },
  };
}

/** `clamp(x, min, max)`: GreptimeDB checks min <= max when planning literals; here at run time. */
function clamp([value, low, high]: number[]): number {
  if (low > high)
    throw executionError(
      `Invalid function args: The second arg should be less than or equal to the third arg, have: ${low}, ${high}`,
    );
  return Math.min(Math.max(value, low), high);
}

/** `mod(a, b)`: the remainder with a's sign; an integer modulo by zero fails, a float one is NaN. */
const modBody = numericFunction('mod', 2, ([a, b]) => a % b);
const mod: ScalarFunction = {
  ...modBody,
  evaluate(args, length, type) {
    const result = modBody.evaluate(args, length, type);
    if (isInteger(type)) {
      const divisor = args[1];
      const values = divisor.values as Float64Array;
      for (let i = 0; i < length; i++) {
        if (divisor.type !== 'Null' && (divisor.valid === null || divisor.valid[i] === 1) && values[i] === 0) {
          throw executionError('Divide by zero error');
        }
      }
    }
    return result;
  },
};

/** Math functions, registered by registry.ts. */
export const mathFunctions: ScalarFunction[] = [
  abs,
  round,
  unaryFloat('floor', Math.floor),
  unaryFloat('ceil', Math.ceil),
  unaryFloat('trunc', Math.trunc),
  unaryFloat('sqrt', Math.sqrt),
  unaryFloat('ln', Math.log),
  unaryFloat('log10', Math.log10),
  unaryFloat('log2', Math.log2),
  unaryFloat('exp', Math.exp),
  unaryFloat('signum', Math.sign),
  power('pow'),
  power('power'),
  mod,
  numericFunction('clamp', 3, clamp),
  numericFunction('clamp_min', 2, ([value, low]) => Math.max(value, low)),
  numericFunction('clamp_max', 2, ([value, high]) => Math.min(value, high)),
];
