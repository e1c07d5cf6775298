import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WindowStateStore, defaultWindowPlacement, fitWindowPlacement, parseWindowPlacement } from './window-state.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const monitorOnTheRight = { x: 1440, y: 0, width: 2560, height: 1415 };

test('a saved file is read field by field; anything corrupt gives the default', () => {
  assert.deepEqual(parseWindowPlacement('{"x":10.4,"y":20,"width":1000,"height":700,"maximized":true}'), {
    x: 10,
    y: 20,
    width: 1000,
    height: 700,
    maximized: true,
  });
  assert.deepEqual(parseWindowPlacement('{"width":1000,"height":700,"x":"left"}'), {
    width: 1000,
    height: 700,
    maximized: false,
  });
  for (const text of [
    undefined,
    '',
    '{',
    'null',
    '[]',
    '{"width":"wide","height":700}',
    '{"width":1e400,"height":1}',
  ]) {
    assert.deepEqual(parseWindowPlacement(text), defaultWindowPlacement, String(text));
  }
});

test('a window stays where it was when that place is still on a display', () => {
  const placed = { x: 1600, y: 100, width: 1600, height: 1000, maximized: false };
  assert.deepEqual(fitWindowPlacement(placed, [laptop, monitorOnTheRight]), placed);
});

test('a window saved on a monitor since unplugged is centred instead, at a size the displays can hold', () => {
  const placed = { x: 1600, y: 100, width: 2400, height: 1300, maximized: true };
  assert.deepEqual(fitWindowPlacement(placed, [laptop]), { width: 1440, height: 875, maximized: true });
});

test('a window whose title bar is above every display, or barely visible, is centred', () => {
  assert.equal(
    fitWindowPlacement({ x: 100, y: -300, width: 1000, height: 700, maximized: false }, [laptop]).x,
    undefined,
  );
  assert.equal(
    fitWindowPlacement({ x: 1400, y: 100, width: 1000, height: 700, maximized: false }, [laptop]).x,
    undefined,
  );
});

test('sizes are kept at least the minimum', () => {
  const fitted = fitWindowPlacement({ width: 10, height: 10, maximized: false }, [laptop]);
  assert.deepEqual(fitted, { width: 900, height: 600, maximized: false });
});

test('the store saves and loads through a real file, and survives a corrupt one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-window-state-'));
  try {
    const store = new WindowStateStore(join(dir, 'window-state.json'));
    assert.deepEqual(await store.load([laptop]), { width: 1280, height: 820, maximized: false });
    await store.save({ x: 50, y: 40, width: 1100, height: 720, maximized: false });
    assert.deepEqual(JSON.parse(await readFile(store.path, 'utf8')), {
      x: 50,
      y: 40,
      width: 1100,
      height: 720,
      maximized: false,
    });
    assert.deepEqual(await store.load([laptop]), { x: 50, y: 40, width: 1100, height: 720, maximized: false });
    await writeFile(store.path, '{"x": 50, "y"');
    assert.deepEqual(await store.load([laptop]), { width: 1280, height: 820, maximized: false });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
