import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteInterner } from './byte-interner.ts';

test('interns byte strings to dense, stable ids across growth', () => {
  const interner = new ByteInterner(2);
  const encoder = new TextEncoder();
  const ids = new Map<string, number>();
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 5000; i++) {
      const text = i % 7 === 0 ? '' : `value-${i}`;
      const bytes = encoder.encode(`xx${text}yy`);
      const id = interner.intern(bytes, 2, bytes.length - 2);
      if (ids.has(text)) assert.equal(id, ids.get(text));
      else ids.set(text, id);
    }
  }
  assert.equal(interner.count, ids.size);
  assert.deepEqual(
    [...ids.values()].sort((a, b) => a - b),
    Array.from({ length: ids.size }, (_, i) => i),
  );
  const decoder = new TextDecoder();
  for (const [text, id] of ids) {
    assert.equal(decoder.decode(interner.arena.subarray(interner.start(id), interner.end(id))), text);
    const bytes = encoder.encode(text);
    assert.equal(interner.find(bytes, 0, bytes.length), id);
  }
  assert.equal(interner.find(encoder.encode('missing'), 0, 7), -1);
});
