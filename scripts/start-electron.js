#!/usr/bin/env node
// `npm start`: opens the desktop app. Electron's binary is fetched by its own install
// script, which this project's .npmrc skips (these machines cannot download it); here we
// look for the binary and, when it is missing, say how to get it or what to run instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {string | undefined} */
function electronBinary() {
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

if (!electronBinary()) {
  console.error(
    [
      'The Electron binary is not installed, so the desktop app cannot open here.',
      'On a machine with internet, fetch it with:  node node_modules/electron/install.js',
      'Without it, run the same cluster and app in a browser:  npx tessera serve   (then open http://127.0.0.1:4000/)',
    ].join('\n'),
  );
  process.exit(1);
}

if (!existsSync(new URL('../electron/main.ts', import.meta.url))) {
  console.error('The desktop shell (electron/main.ts) is not part of this build yet. Run: npx tessera serve');
  process.exit(1);
}
const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
