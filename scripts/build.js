#!/usr/bin/env node
// `npm run build`: typechecks every environment, then bundles the renderer with Vite into
// dist/renderer (what `tessera serve` and the Electron window load) and the desktop shell's
// preload into dist/electron. The engine runs from
// source through tsx (no emit needed). `--no-typecheck` skips the first step (CI has just
// run `npm run check`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!process.argv.includes('--no-typecheck')) {
  const typecheck = spawnSync('npm', ['run', 'typecheck'], { cwd: root, stdio: 'inherit' });
  if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);
}

const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const bundle = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.config.ts'], {
  cwd: root,
  stdio: 'inherit',
});
if (bundle.status !== 0) process.exit(bundle.status ?? 1);

// The desktop shell's preload, bundled into dist/electron/preload.cjs (see scripts/build-electron.js).
const preload = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.js')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(preload.status ?? 1);
