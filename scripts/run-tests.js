#!/usr/bin/env node
// Runs the test files under node's test runner, with TypeScript through tsx.
// Node 20's `--test` does not expand globs, so the files are collected here.
//   node scripts/run-tests.js               every *.test.ts under engine/, electron/ and renderer/ (pure models)
//   node scripts/run-tests.js --e2e         the Playwright tests under e2e/ (needs `npm run build`)
//   node scripts/run-tests.js path/to/x.test.ts ...   just those
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @param {string} dir @returns {string[]} */
function collect(dir) {
  /** @type {string[]} */
  const found = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of names.sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...collect(path));
    else if (name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found;
}

const args = process.argv.slice(2);
const e2e = args.includes('--e2e');

if (e2e) {
  // Browser tests run under Playwright's own runner, in Debian's Chromium, against the built app.
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
    console.error('dist/renderer is missing: run `npm run build` before `npm run test:e2e`');
    process.exit(1);
  }
  const playwright = join(root, 'node_modules', '@playwright', 'test', 'cli.js');
  const extra = args.filter((arg) => arg !== '--e2e');
  const runner = spawn(process.execPath, [playwright, 'test', '-c', 'e2e/playwright.config.ts', ...extra], {
    cwd: root,
    stdio: 'inherit',
  });
  runner.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  runNodeTests();
}

function runNodeTests() {
  const explicit = args.filter((arg) => !arg.startsWith('--'));
  const files =
    explicit.length > 0
      ? explicit
      : [...collect(join(root, 'engine')), ...collect(join(root, 'electron')), ...collect(join(root, 'renderer'))];

  if (files.length === 0) {
    console.error('no test files found under engine/ or electron/');
    process.exit(1);
  }

  const concurrency = process.env.TESSERA_TEST_CONCURRENCY ?? '2';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=240000', ...files],
    { cwd: root, stdio: 'inherit' },
  );
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
