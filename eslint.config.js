// Lint: typescript-eslint's recommended rules plus the module boundary table below.
import tseslint from 'typescript-eslint';
import { moduleBoundaries } from './scripts/eslint/module-boundaries.js';

/**
 * Which area may import which (DESIGN §1). An area missing from a list is off limits;
 * within an area anything goes. `engine/common` is the floor everything stands on.
 */
const allowed = {
  'engine/common': [],
  'engine/rpc': ['engine/common'],
  'engine/storage': ['engine/common'],
  'engine/sql': ['engine/common'],
  'engine/partition': ['engine/common', 'engine/sql'],
  'engine/query': ['engine/common', 'engine/sql', 'engine/storage'],
  'engine/promql': ['engine/common', 'engine/query', 'engine/sql'],
  'engine/metasrv': ['engine/common', 'engine/rpc', 'engine/partition'],
  'engine/datanode': ['engine/common', 'engine/rpc', 'engine/storage', 'engine/query'],
  'engine/frontend': ['engine/common', 'engine/rpc', 'engine/query', 'engine/sql', 'engine/promql', 'engine/partition'],
  'engine/cluster': ['engine/common', 'engine/rpc', 'engine/metasrv', 'engine/frontend', 'engine/datanode'],
  'engine/cli': ['engine/common', 'engine/cluster', 'engine/metasrv', 'engine/frontend', 'engine/datanode'],
  // renderer: only the type-only renderer/shared/desktop-api.ts, the contract the preload implements.
  electron: ['engine/cluster', 'engine/common', 'renderer'],
  // The partition designer runs engine/partition's own code (through its index.ts and engine/sql's),
  // so what it accepts is what CREATE TABLE accepts; engine/common only by its portable surface.
  renderer: ['engine/partition', 'engine/sql', 'engine/common'],
  // bench: e2e too, for its `tessera serve` helper (the workbench bench drives the same browser).
  bench: [
    'e2e',
    'engine/common',
    'engine/rpc',
    'engine/metasrv',
    'engine/storage',
    'engine/query',
    'engine/cluster',
    'engine/partition',
    'engine/sql',
    'engine/promql',
  ],
  e2e: ['engine/cluster', 'engine/common'],
  scripts: [],
  bin: ['engine/cli'],
};

/** Process entry files, which may be imported (or forked) directly rather than through index.ts. */
const entries = ['engine/cli/main.ts', 'engine/datanode/main.ts'];

/** Second public surfaces holding only code without Node APIs, for modules a browser bundle uses. */
const portableSurfaces = ['engine/common/portable.ts'];

/** Areas that may import an engine module only through a portable surface, never its index.ts (no Node there). */
const portableOnly = { renderer: ['engine/common'] };

/** Test files of an area with no Node (the renderer) may still use Node's test runner. */
const testPackages = ['node:test', 'node:assert', 'node:assert/strict'];

/** Areas that may reach inside a module (benchmarks measure internals such as codecs). */
const seesInternals = ['bench'];

/** Packages an area may not import: the renderer has no Node, the engine no Electron or DOM. */
const engineForbidden = ['electron', 'react', 'react-dom'];
const packages = {
  renderer: ['node:', 'electron', 'ws', 'etcd3', 'fs', 'path', 'child_process'],
  ...Object.fromEntries(
    Object.keys(allowed)
      .filter((area) => area.startsWith('engine/'))
      .map((area) => [area, engineForbidden]),
  ),
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'tessera-data/', 'test-results/', '.tmp/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { local: { rules: { 'module-boundaries': moduleBoundaries } } },
    rules: {
      'local/module-boundaries': [
        'error',
        { allowed, packages, entries, portableSurfaces, portableOnly, testPackages, seesInternals },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
