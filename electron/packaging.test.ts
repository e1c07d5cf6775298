/**
 * electron-builder.yml, loaded and validated by electron-builder's own code (its schema),
 * and checked to ship what the app runs: the entry, the shell, the datanode entry and the
 * engine sources tsx compiles, the renderer build and the preload bundle — and no tests.
 */
import assert from 'node:assert/strict';
import { matchesGlob } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';

const root = fileURLToPath(new URL('..', import.meta.url));

async function loadConfig() {
  const config = await getConfig(root, 'electron-builder.yml', null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

/** electron-builder's rule: a path ships when the last pattern matching it is not a negation. */
function ships(patterns: string[], path: string): boolean {
  let included = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (matchesGlob(path, negated ? pattern.slice(1) : pattern)) included = !negated;
  }
  return included;
}

test('the packaging config passes electron-builder’s validation and targets AppImage, dmg and nsis', async () => {
  const config = await loadConfig();
  assert.equal(config.linux?.target, 'AppImage');
  assert.equal(config.mac?.target, 'dmg');
  assert.equal(config.win?.target, 'nsis');
  assert.equal((config.extraMetadata as { main?: string }).main, 'electron/app-entry.js');
  assert.equal(config.asar, false);
});

test('a config electron-builder would reject is rejected here too (the validation is real)', async () => {
  await assert.rejects(
    validateConfiguration({ asar: 'yes' } as never, new DebugLogger(false)),
    /does not match the API schema/,
  );
  await assert.rejects(validateConfiguration({ notAnOption: true } as never, new DebugLogger(false)), /does not match/);
});

test('the package holds the entry, shell, datanode entry, engine, renderer and preload — and no tests', async () => {
  const config = await loadConfig();
  const patterns = (config.files as { filter: string[] }[]).flatMap((set) => set.filter);
  for (const path of [
    'package.json',
    'electron/app-entry.js',
    'electron/main.ts',
    'electron/utility-entry.js',
    'engine/datanode/main.ts',
    'engine/cluster/index.ts',
    'engine/cluster/testing/launcher-fixture.ts',
    'dist/renderer/index.html',
    'dist/renderer/assets/index-abc.js',
    'dist/electron/preload.cjs',
  ]) {
    assert.ok(ships(patterns, path), `${path} ships`);
  }
  for (const path of [
    'electron/main.test.ts',
    'engine/cluster/local-cluster.test.ts',
    'renderer/main.tsx',
    'bench/run.ts',
    'dist/renderer/assets/index.js.map',
  ]) {
    assert.ok(!ships(patterns, path), `${path} stays out`);
  }
});
