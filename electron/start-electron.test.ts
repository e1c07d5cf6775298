import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/start-electron.js', import.meta.url));

test('npm start without the Electron binary exits non-zero and names npx tessera serve', () => {
  // Point at a binary that does not exist, so the test means the same on a machine that has Electron.
  const result = spawnSync(process.execPath, [script], {
    env: { ...process.env, TESSERA_ELECTRON_BINARY: '/nonexistent/electron' },
    encoding: 'utf8',
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /The Electron binary is not installed/);
  assert.match(result.stderr, /npx tessera serve/);
  assert.match(result.stderr, /node node_modules\/electron\/install\.js/);
  assert.equal(result.stdout, '');
});
