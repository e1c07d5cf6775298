import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeKeyPiece, keyKindOf, nullKeyPiece, type KeyKind } from './key-encoding.ts';
import { compareTagValues, random } from './sorted-run-fixtures.ts';

const utf8 = new TextEncoder();

function piece(kind: KeyKind, value: unknown, width = 8): string {
  if (value === null) return nullKeyPiece;
  if (kind === 'bytes') {
    const bytes = utf8.encode(value as string);
    return encodeKeyPiece(kind, bytes, 0, bytes.length);
  }
  const bytes = new Uint8Array(width);
  const view = new DataView(bytes.buffer);
  if (kind === 'bool') bytes[0] = value ? 1 : 0;
  else if (kind === 'float') view.setFloat64(0, value as number, true);
  else if (kind === 'signed') view.setBigInt64(0, value as bigint, true);
  else view.setBigUint64(0, value as bigint, true);
  return encodeKeyPiece(kind, bytes, 0, width);
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareEncoded(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

test('key kinds by type', () => {
  assert.equal(keyKindOf({ kind: 'string' }), 'bytes');
  assert.equal(keyKindOf({ kind: 'timestamp', unit: 'ns' }), 'signed');
  assert.equal(keyKindOf({ kind: 'uint64' }), 'unsigned');
  assert.equal(keyKindOf({ kind: 'float32' }), 'float');
  assert.equal(keyKindOf({ kind: 'boolean' }), 'bool');
});

test('string pieces order like UTF-8 bytes, nulls first, and compose across tags', () => {
  const next = random(5);
  const alphabet = ['', 'a', 'b', '\u0000', '\u00ff', 'é', '\uffff', '\u{1f600}', 'ab'];
  const values = Array.from({ length: 300 }, () =>
    next() < 0.1
      ? null
      : Array.from({ length: Math.floor(next() * 4) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  );
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < 40; j++) {
      const a = values[i]!;
      const b = values[Math.floor(next() * values.length)]!;
      assert.equal(
        sign(compareEncoded(piece('bytes', a), piece('bytes', b))),
        sign(compareTagValues(a, b)),
        `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
      );
      // Two-tag keys: the first tag decides unless equal.
      const c = values[Math.floor(next() * values.length)]!;
      const d = values[Math.floor(next() * values.length)]!;
      const expected = compareTagValues(a, b) || compareTagValues(c, d);
      assert.equal(
        sign(compareEncoded(piece('bytes', a) + piece('bytes', c), piece('bytes', b) + piece('bytes', d))),
        sign(expected),
      );
    }
  }
});

test('numeric pieces order by value', () => {
  const signed = [-(2n ** 63n), -(2n ** 32n), -1n, 0n, 1n, 255n, 256n, 2n ** 40n, 2n ** 63n - 1n];
  const unsigned = [0n, 1n, 255n, 256n, 2n ** 32n, 2n ** 64n - 1n];
  const floats = [-Infinity, -1e300, -1, -Number.MIN_VALUE, -0, 0, Number.MIN_VALUE, 1, 1e300, Infinity];
  const cases: Array<[KeyKind, unknown[]]> = [
    ['signed', signed],
    ['unsigned', unsigned],
    ['float', floats],
    ['bool', [false, true]],
  ];
  for (const [kind, values] of cases) {
    const encoded = values.map((value) => piece(kind, value));
    for (let i = 1; i < encoded.length; i++)
      assert.ok(encoded[i - 1]! < encoded[i]!, `${kind} ${String(values[i - 1])} < ${String(values[i])}`);
    assert.ok(nullKeyPiece < encoded[0]!);
  }
});
