#!/usr/bin/env node
// `npm start`: builds and opens the desktop app. Electron's binary is fetched by its own
// install script, which this project's .npmrc skips (these machines cannot download it);
// so we look for the binary first and, when it is missing, say how to get it or what to
// run instead, and exit non-zero.
//   npm start                          build (typecheck, renderer, preload), then open the app
//   npm start -- --no-build            open the app with what is already built
//   npm start -- --launcher-contract   run the ProcessLauncher contract in utility processes
// TESSERA_ELECTRON_BINARY=/path/to/electron uses that binary instead of node_modules/electron's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

/** @returns {string | undefined} */
function electronBinary() {
  const override = process.env.TESSERA_ELECTRON_BINARY;
  if (override) return existsSync(override) ? override : undefined;
  try {
    const packageDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return undefined;
    const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) {
  console.error(
    [
      'The Electron binary is not installed, so the desktop app cannot open here.',
      'On a machine with internet, fetch it with:  node node_modules/electron/install.js',
      'Without it, run the same cluster and app in a browser:  npx tessera serve   (then open http://127.0.0.1:4000/)',
    ].join('\n'),
  );
  process.exit(1);
}

const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const app = spawn(binary, [join(root, 'electron', 'app-entry.js'), ...args.filter((arg) => arg !== '--no-build')], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches Electron too (same process group); it quits cleanly and we report its exit.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => {});
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
