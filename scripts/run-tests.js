#!/usr/bin/env node
// Runs the test files under node's test runner, with TypeScript through tsx.
// Node 20's `--test` does not expand globs, so the files are collected here.
//   node scripts/run-tests.js               every *.test.ts under engine/ and electron/
//   node scripts/run-tests.js --e2e         every *.test.ts under e2e/
//   node scripts/run-tests.js path/to/x.test.ts ...   just those
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
const explicit = args.filter((arg) => !arg.startsWith('--'));
const files =
  explicit.length > 0
    ? explicit
    : e2e
      ? collect(join(root, 'e2e'))
      : [...collect(join(root, 'engine')), ...collect(join(root, 'electron'))];

if (files.length === 0) {
  console.error(`no test files found under ${e2e ? 'e2e/' : 'engine/ or electron/'}`);
  process.exit(1);
}

const concurrency = process.env.TESSERA_TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=240000', ...files],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
