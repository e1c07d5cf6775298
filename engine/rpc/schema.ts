/**
 * Small runtime validators for messages received from another process. Each one both checks
 * an `unknown` value and gives its TypeScript type (`Infer<typeof schema>`), so a message type
 * is declared once and both sides validate against the same declaration.
 *
 * A failed check throws `MalformedMessage` naming the path and what was found, e.g.
 * "Malformed message: stats.regionCount: expected an integer, got "3"".
 */
import { ErrorCode, TesseraError } from '../common/index.ts';

export interface Schema<T> {
  /** Returns `value` typed as `T`, or throws MalformedMessage. `path` names where it sits. */
  parse(value: unknown, path?: string): T;
  /** Whether `undefined` is accepted (object fields with such a schema are optional). */
  readonly optional?: boolean;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function fail(path: string, expected: string, value: unknown): never {
  throw new TesseraError(
    ErrorCode.MalformedMessage,
    `Malformed message: ${path || 'message'}: expected ${expected}, got ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function string(): Schema<string> {
  return { parse: (v, path = '') => (typeof v === 'string' ? v : fail(path, 'a string', v)) };
}

export function number(): Schema<number> {
  return {
    parse: (v, path = '') => (typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'a finite number', v)),
  };
}

export function integer(): Schema<number> {
  return { parse: (v, path = '') => (Number.isSafeInteger(v) ? (v as number) : fail(path, 'an integer', v)) };
}

export function boolean(): Schema<boolean> {
  return { parse: (v, path = '') => (typeof v === 'boolean' ? v : fail(path, 'a boolean', v)) };
}

export function literal<const T extends string | number | boolean>(expected: T): Schema<T> {
  return { parse: (v, path = '') => (v === expected ? expected : fail(path, JSON.stringify(expected), v)) };
}

/** One of several string literals. */
export function oneOf<const T extends string>(...values: T[]): Schema<T> {
  const allowed = new Set<string>(values);
  return {
    parse: (v, path = '') =>
      typeof v === 'string' && allowed.has(v) ? (v as T) : fail(path, `one of ${values.join(', ')}`, v),
  };
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return { optional: true, parse: (v, path = '') => (v === undefined ? undefined : inner.parse(v, path)) };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return { parse: (v, path = '') => (v === null ? null : inner.parse(v, path)) };
}

export function array<T>(item: Schema<T>): Schema<T[]> {
  return {
    parse: (v, path = '') => {
      if (!Array.isArray(v)) return fail(path, 'an array', v);
      return v.map((entry, index) => item.parse(entry, `${path}[${index}]`));
    },
  };
}

/** A string-keyed map whose values share one schema. */
export function record<T>(value: Schema<T>): Schema<Record<string, T>> {
  return {
    parse: (v, path = '') => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, 'an object', v);
      const out: Record<string, T> = {};
      for (const [key, entry] of Object.entries(v)) out[key] = value.parse(entry, join(path, key));
      return out;
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

/** An object with known fields; unknown fields are dropped, so newer peers may add optional ones. */
export function object<S extends Shape>(shape: S): Schema<{ [K in keyof ObjectOf<S>]: ObjectOf<S>[K] }> {
  return {
    parse: (v, path = '') => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, 'an object', v);
      const source = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(shape)) {
        const parsed = field.parse(source[key], join(path, key));
        if (parsed !== undefined) out[key] = parsed;
      }
      return out as ObjectOf<S>;
    },
  };
}

/** A union discriminated by a string field, e.g. `{ type: 'open' } | { type: 'close' }`. */
export function tagged<const K extends string, V extends Record<string, Schema<object>>>(
  tag: K,
  variants: V,
): Schema<{ [T in keyof V]: Infer<V[T]> & { [P in K]: T } }[keyof V]> {
  return {
    parse: (v, path = '') => {
      if (typeof v !== 'object' || v === null) return fail(path, 'an object', v);
      const kind = (v as Record<string, unknown>)[tag];
      if (typeof kind !== 'string' || !Object.hasOwn(variants, kind)) {
        return fail(join(path, tag), `one of ${Object.keys(variants).join(', ')}`, kind);
      }
      return { ...variants[kind]!.parse(v, path), [tag]: kind } as never;
    },
  };
}

/** Accepts anything (for opaque payloads the receiver checks itself). */
export function unknownValue(): Schema<unknown> {
  return { parse: (v) => v };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
