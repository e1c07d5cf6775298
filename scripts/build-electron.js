#!/usr/bin/env node
// Bundles the desktop shell's preload (electron/preload.ts and what it imports) into one
// CommonJS file, dist/electron/preload.cjs: a sandboxed preload can require only
// `electron`, so it cannot load TypeScript or sibling modules at run time. The main process
// needs no bundle (it runs from source through tsx, like the engine).
//   node scripts/build-electron.js [OUTFILE]
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = process.argv[2] ?? join(root, 'dist', 'electron', 'preload.cjs');

await build({
  entryPoints: [join(root, 'electron', 'preload.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 41's Chromium; the preload runs in the renderer process.
  target: 'chrome140',
  external: ['electron'],
  logLevel: 'warning',
});
