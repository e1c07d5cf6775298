/**
 * Assigning dense group ids to rows by their key columns, column-wise: one key column hashes
 * its raw values (a number or a string per row, NULL a sentinel); several build one string key
 * per row. The first row of each group is remembered so the key values can be output.
 */
import type { Column } from '../column.ts';
import { keyValueAt } from '../column.ts';

/** Stands for NULL in single-column keys; a symbol, so no value can collide with it. */
const NULL_KEY = Symbol('null');

/** Group ids across batches. */
export class GroupKeys {
  readonly #map = new Map<unknown, number>();
  /** Key values per key column, one entry per group, in group order. */
  readonly values: unknown[][];
  readonly valid: number[][];
  #count = 0;

  constructor(keyCount: number) {
    this.values = Array.from({ length: keyCount }, () => []);
    this.valid = Array.from({ length: keyCount }, () => []);
  }

  get count(): number {
    return this.#count;
  }

  /** Rough bytes held (map entries and key copies), for the memory budget. */
  bytes(): number {
    return this.#count * (64 + this.values.length * 24);
  }

  /** The group id of each row of `keys` (all of `length` rows), adding new groups. */
  assign(keys: Column[], length: number): Int32Array {
    const ids = new Int32Array(length);
    if (keys.length === 0) return ids;
    const map = this.#map;
    if (keys.length === 1) {
      const key = keys[0];
      const values = key.values as ArrayLike<unknown> | null;
      const valid = key.valid;
      const isNull = key.type === 'Null';
      const exact = key.exact ?? null;
      for (let i = 0; i < length; i++) {
        const value =
          isNull || (valid !== null && valid[i] === 0) ? NULL_KEY : exact === null ? values![i] : keyValueAt(key, i);
        let id = map.get(value);
        if (id === undefined) {
          id = this.#add(keys, i);
          map.set(value, id);
        }
        ids[i] = id;
      }
      return ids;
    }
    for (let i = 0; i < length; i++) {
      let text = '';
      for (const key of keys) {
        const isNull = key.type === 'Null' || (key.valid !== null && key.valid[i] === 0);
        // The type tag keeps NULL apart from any string value of the same column.
        text += isNull ? '\u0000' : `v${String(keyValueAt(key, i))}`;
        text += '\u0001';
      }
      let id = map.get(text);
      if (id === undefined) {
        id = this.#add(keys, i);
        map.set(text, id);
      }
      ids[i] = id;
    }
    return ids;
  }

  #add(keys: Column[], row: number): number {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const isNull = key.type === 'Null' || (key.valid !== null && key.valid[row] === 0);
      this.values[k].push(isNull || key.values === null ? null : keyValueAt(key, row));
      this.valid[k].push(isNull ? 0 : 1);
    }
    return this.#count++;
  }
}
