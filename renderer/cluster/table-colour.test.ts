import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableHue } from './table-colour.ts';

test('a table keeps its hue; hues are on the 15° steps', () => {
  assert.equal(tableHue('public', 'cpu'), tableHue('public', 'cpu'));
  for (const name of ['cpu', 'mem', 'disk', 'net', 'http_requests', 'Ünïcode']) {
    const hue = tableHue('public', name);
    assert.ok(hue >= 0 && hue < 360 && hue % 15 === 0, `${name}: ${hue}`);
  }
});

test('different tables mostly get different hues', () => {
  const names = Array.from({ length: 12 }, (_, i) => `table_${i}`);
  const hues = new Set(names.map((name) => tableHue('public', name)));
  // 12 names over 24 hues: a good hash leaves few collisions; a constant or a weak one many.
  assert.ok(hues.size >= 8, `only ${hues.size} distinct hues for 12 tables`);
});
