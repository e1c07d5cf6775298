/**
 * Lists (DataFusion's array functions): `make_array` (also `[a, b]` and `ARRAY[a, b]`),
 * `string_to_array`, `array_to_string`, `array_length` / `cardinality`, `array_element` (also
 * `a[i]`, 1-based), and the `array_agg` aggregate. A list row is a JS array of its elements'
 * row values (column.ts); list results print as JSON arrays over HTTP.
 */
import type { Column, ListValue, RowValue } from '../column.ts';
import { columnValue, emptyValues, isNullAt } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { comparisonCommonType, isList, listElementType, listType } from '../data-type.ts';
import { castColumn } from '../evaluate.ts';
import type { AggregateFunction, GroupsAccumulator, ScalarFunction } from './function.ts';
import { expectArgCount, noMatchingSignature, stringLike } from './helpers.ts';

/** A column of `type` with one value (or null) per row. */
function rowsColumn(type: SqlType, rows: (RowValue | undefined)[]): Column {
  const length = rows.length;
  const values = emptyValues(type, length) as unknown[];
  let valid: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    const value = rows[i];
    if (value === null || value === undefined) {
      valid ??= new Uint8Array(length).fill(1);
      valid[i] = 0;
    } else values[i] = type === 'Boolean' ? (value ? 1 : 0) : value;
  }
  return { type, length, values: values as Column['values'], valid };
}

function listArg(name: string, type: SqlType, args: SqlType[]): SqlType {
  if (type === 'Null') return 'Null';
  if (!isList(type)) throw noMatchingSignature(name, args);
  return listElementType(type);
}

/** The element type a list of these argument types holds (Int64 for none or all NULL). */
function commonElementType(args: SqlType[]): SqlType {
  let common: SqlType = 'Null';
  for (const arg of args) {
    const next = comparisonCommonType(common, arg);
    if (next === null) throw noMatchingSignature('make_array', args);
    common = next;
  }
  return common === 'Null' ? 'Int64' : common;
}

const makeArray: ScalarFunction = {
  name: 'make_array',
  signature: 'make_array(T, ...) -> List(T)',
  returnType: (args) => listType(commonElementType(args)),
  evaluate(args, length, returnType) {
    const element = listElementType(returnType as `List(${string})`);
    const columns = args.map((arg) => castColumn(arg, element, false));
    const rows: ListValue[] = new Array(length);
    for (let row = 0; row < length; row++) rows[row] = columns.map((column) => columnValue(column, row));
    return rowsColumn(returnType, rows);
  },
};

/** PostgreSQL's split: NULL delimiter splits into characters, '' keeps the string whole. */
function splitText(text: string, delimiter: string | null): string[] {
  if (text === '') return [];
  if (delimiter === null) return [...text];
  if (delimiter === '') return [text];
  return text.split(delimiter);
}

const stringToArray: ScalarFunction = {
  name: 'string_to_array',
  signature: 'string_to_array(Utf8, Utf8[, Utf8]) -> List(Utf8)',
  returnType(args) {
    expectArgCount('string_to_array', args, 2, 3);
    if (!args.every(stringLike)) throw noMatchingSignature('string_to_array', args);
    return listType('Utf8');
  },
  evaluate(args, length, returnType) {
    const [text, delimiter, nullText] = args;
    const rows: (ListValue | null)[] = new Array(length);
    for (let row = 0; row < length; row++) {
      if (isNullAt(text, row)) {
        rows[row] = null;
        continue;
      }
      const parts = splitText(
        columnValue(text, row) as string,
        isNullAt(delimiter, row) ? null : (columnValue(delimiter, row) as string),
      );
      const marker = nullText === undefined || isNullAt(nullText, row) ? null : (columnValue(nullText, row) as string);
      rows[row] = parts.map((part) => (marker !== null && part === marker ? null : part));
    }
    return rowsColumn(returnType, rows);
  },
};

function elementText(value: RowValue): string {
  if (Array.isArray(value)) return value.map((item) => (item === null ? '' : elementText(item))).join(',');
  return String(value);
}

/**
 * A list row, or an array in PostgreSQL's text form (`{a,b}`: what current_schemas() and
 * pg_database.datacl give here, and psql's `\l` joins), as its elements.
 */
function listOrPostgresText(value: RowValue): ListValue {
  if (Array.isArray(value)) return value;
  const text = String(value);
  if (!(text.startsWith('{') && text.endsWith('}'))) return [text];
  return text
    .slice(1, -1)
    .split(',')
    .filter((element) => element !== '');
}

const arrayToString: ScalarFunction = {
  name: 'array_to_string',
  signature: 'array_to_string(List | Utf8, Utf8[, Utf8]) -> Utf8',
  returnType(args) {
    expectArgCount('array_to_string', args, 2, 3);
    if (!stringLike(args[0])) listArg('array_to_string', args[0], args);
    if (!args.slice(1).every(stringLike)) throw noMatchingSignature('array_to_string', args);
    return 'Utf8';
  },
  evaluate(args, length) {
    const [list, delimiter, nullText] = args;
    const rows: (string | null)[] = new Array(length);
    for (let row = 0; row < length; row++) {
      if (isNullAt(list, row) || isNullAt(delimiter, row)) {
        rows[row] = null;
        continue;
      }
      const marker = nullText === undefined || isNullAt(nullText, row) ? null : (columnValue(nullText, row) as string);
      const items = listOrPostgresText(columnValue(list, row)).flatMap((item) =>
        item === null ? (marker === null ? [] : [marker]) : [elementText(item)],
      );
      rows[row] = items.join(columnValue(delimiter, row) as string);
    }
    return rowsColumn('Utf8', rows);
  },
};

function lengthFunction(name: string): ScalarFunction {
  return {
    name,
    signature: `${name}(List) -> UInt64`,
    returnType(args) {
      expectArgCount(name, args, 1, name === 'array_length' ? 2 : 1);
      listArg(name, args[0], args);
      return 'UInt64';
    },
    evaluate(args, length) {
      const [list, dimension] = args;
      const rows: (number | null)[] = new Array(length);
      for (let row = 0; row < length; row++) {
        const wanted = dimension === undefined || isNullAt(dimension, row) ? 1 : Number(columnValue(dimension, row));
        rows[row] = isNullAt(list, row) || wanted !== 1 ? null : (columnValue(list, row) as ListValue).length;
      }
      return rowsColumn('UInt64', rows);
    },
  };
}

const arrayElement: ScalarFunction = {
  name: 'array_element',
  signature: 'array_element(List(T), Int64) -> T',
  returnType(args) {
    expectArgCount('array_element', args, 2);
    const element = listArg('array_element', args[0], args);
    return element === 'Null' ? 'Null' : element;
  },
  evaluate(args, length, returnType) {
    const [list, index] = args;
    const rows: RowValue[] = new Array(length);
    for (let row = 0; row < length; row++) {
      if (isNullAt(list, row) || isNullAt(index, row)) {
        rows[row] = null;
        continue;
      }
      const items = columnValue(list, row) as ListValue;
      const position = Number(columnValue(index, row));
      // 1-based; a negative index counts from the end, 0 and out of range are NULL.
      const at = position > 0 ? position - 1 : position < 0 ? items.length + position : -1;
      rows[row] = at >= 0 && at < items.length ? items[at] : null;
    }
    return rowsColumn(returnType, rows);
  },
};

export const arrayFunctions: ScalarFunction[] = [
  makeArray,
  stringToArray,
  arrayToString,
  lengthFunction('array_length'),
  lengthFunction('cardinality'),
  arrayElement,
];

/** `array_agg(x)`: the group's values (NULLs included) in the order rows arrive; NULL for no rows. */
const arrayAgg: AggregateFunction = {
  name: 'array_agg',
  signature: 'array_agg(T) -> List(T)',
  returnType(args) {
    expectArgCount('array_agg', args, 1);
    return listType(args[0] === 'Null' ? 'Int64' : args[0]);
  },
  createAccumulator(_args, returnType): GroupsAccumulator {
    const lists: (ListValue | null)[] = [];
    let bytes = 0;
    return {
      update(args, groupIds, groupCount) {
        while (lists.length < groupCount) lists.push(null);
        const column = args[0];
        for (let i = 0; i < groupIds.length; i++) {
          const group = groupIds[i];
          const list = (lists[group] ??= []);
          list.push(columnValue(column, i));
          bytes += 16;
        }
      },
      finish(groupCount) {
        while (lists.length < groupCount) lists.push(null);
        return rowsColumn(returnType, lists.slice(0, groupCount));
      },
      bytes: () => bytes,
    };
  },
};

export const arrayAggregates: AggregateFunction[] = [arrayAgg];
