/** Conditional functions: coalesce, ifnull, nullif, greatest, least, if, isnull. */
import type { Column } from '../column.ts';
import { emptyValues } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { comparisonCommonType, isFloatStored, isNumeric } from '../data-type.ts';
import type { ScalarFunction } from './function.ts';
import { noMatchingSignature } from './helpers.ts';

/**
 * The common type of the arguments. Storage classes must agree (numbers with numbers, strings
 * with strings): the evaluator does not convert values inside these functions.
 */
function commonType(name: string, args: SqlType[], min: number, max = Infinity): SqlType {
  if (args.length < min || args.length > max) throw noMatchingSignature(name, args);
  let common: SqlType = 'Null';
  for (const arg of args) {
    const next = comparisonCommonType(common, arg);
    const sameStorage =
      common === 'Null' || arg === 'Null' || common === arg || (isFloatStored(common) && isFloatStored(arg));
    if (next === null || !sameStorage) throw noMatchingSignature(name, args);
    common = next;
  }
  return common;
}

function validAt(column: Column, row: number): boolean {
  return column.type !== 'Null' && (column.valid === null || column.valid[row] === 1);
}

/** `coalesce(a, b, ...)`: the first non-null argument per row. */
const coalesce: ScalarFunction = {
  name: 'coalesce',
  signature: 'coalesce(T, T, ...) -> T',
  returnType: (args) => commonType('coalesce', args, 1),
  evaluate(args, length, type) {
    const values = emptyValues(type, length);
    const valid = new Uint8Array(length);
    let anyNull = false;
    for (let i = 0; i < length; i++) {
      for (const column of args) {
        if (!validAt(column, i)) continue;
        (values as unknown[])[i] = (column.values as unknown[])[i];
        valid[i] = 1;
        break;
      }
      if (valid[i] === 0) anyNull = true;
    }
    return { type, length, values, valid: anyNull ? valid : null };
  },
};

/** `ifnull(a, b)`: MySQL's two-argument coalesce. */
const ifnull: ScalarFunction = {
  ...coalesce,
  name: 'ifnull',
  signature: 'ifnull(T, T) -> T',
  returnType: (args) => commonType('ifnull', args, 2, 2),
};

/** `nullif(a, b)`: NULL where a = b, else a. */
const nullif: ScalarFunction = {
  name: 'nullif',
  signature: 'nullif(T, T) -> T',
  returnType: (args) => {
    commonType('nullif', args, 2, 2);
    return args[0] === 'Null' ? args[1] : args[0];
  },
  evaluate(args, length, type) {
    const [a, b] = args;
    const values = emptyValues(type, length);
    const valid = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      if (!validAt(a, i)) continue;
      (values as unknown[])[i] = (a.values as unknown[])[i];
      valid[i] = validAt(b, i) && (b.values as unknown[])[i] === (a.values as unknown[])[i] ? 0 : 1;
    }
    return { type, length, values, valid };
  },
};

function extreme(name: string, greater: boolean): ScalarFunction {
  return {
    name,
    signature: `${name}(T, T, ...) -> T`,
    returnType: (args) => commonType(name, args, 1),
    evaluate(args, length, type) {
      const values = emptyValues(type, length) as unknown[];
      const valid = new Uint8Array(length);
      let anyNull = false;
      for (let i = 0; i < length; i++) {
        for (const column of args) {
          if (!validAt(column, i)) continue;
          const value = (column.values as unknown[])[i] as number | string;
          if (
            valid[i] === 0 ||
            (greater ? value > (values[i] as number | string) : value < (values[i] as number | string))
          ) {
            values[i] = value;
            valid[i] = 1;
          }
        }
        if (valid[i] === 0) anyNull = true;
      }
      return { type, length, values: values as Column['values'], valid: anyNull ? valid : null };
    },
  };
}

/** `if(cond, a, b)`: a where cond is true, else b (a NULL condition picks b). */
const ifFunction: ScalarFunction = {
  name: 'if',
  signature: 'if(Boolean, T, T) -> T',
  returnType(args) {
    if (args.length !== 3 || !(args[0] === 'Boolean' || args[0] === 'Null' || isNumeric(args[0]))) {
      throw noMatchingSignature('if', args);
    }
    return commonType('if', args.slice(1), 2, 2);
  },
  evaluate(args, length, type) {
    const [condition, then, otherwise] = args;
    const values = emptyValues(type, length) as unknown[];
    const valid = new Uint8Array(length);
    let anyNull = false;
    for (let i = 0; i < length; i++) {
      // A numeric condition is true when non-zero, as MySQL's IF.
      const pick = validAt(condition, i) && (condition.values as Uint8Array | Float64Array)[i] !== 0 ? then : otherwise;
      if (validAt(pick, i)) {
        values[i] = (pick.values as unknown[])[i];
        valid[i] = 1;
      } else anyNull = true;
    }
    return { type, length, values: values as Column['values'], valid: anyNull ? valid : null };
  },
};

/** `isnull(x)`: whether x is NULL. */
const isnull: ScalarFunction = {
  name: 'isnull',
  signature: 'isnull(any) -> Boolean',
  returnType(args) {
    if (args.length !== 1) throw noMatchingSignature('isnull', args);
    return 'Boolean';
  },
  evaluate(args, length, type) {
    const values = new Uint8Array(length);
    for (let i = 0; i < length; i++) values[i] = validAt(args[0], i) ? 0 : 1;
    return { type, length, values, valid: null };
  },
};

/** Conditional functions, registered by registry.ts. */
export const conditionalFunctions: ScalarFunction[] = [
  coalesce,
  nullif,
  extreme('greatest', true),
  extreme('least', false),
  ifFunction,
  ifnull,
  isnull,
];
