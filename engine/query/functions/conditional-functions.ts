/** Conditional functions: coalesce, nullif, greatest, least. */
import type { Column } from '../column.ts';
import { emptyValues } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { comparisonCommonType, isFloatStored } from '../data-type.ts';
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

/** Conditional functions, registered by registry.ts. */
export const conditionalFunctions: ScalarFunction[] = [
  coalesce,
  nullif,
  extreme('greatest', true),
  extreme('least', false),
];
