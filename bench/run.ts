/**
 * `npm run bench [filter] [--json]`: imports every `bench/*.bench.ts` whose file name contains
 * `filter`, awaits its `run()`, and prints the figures as a table (or as JSON lines with
 * `--json`, for comparing runs). Benchmarks measure; tests assert: nothing here fails on a
 * slow figure.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result.ts';

interface BenchModule {
  run?: () => Promise<BenchResult[]>;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const filter = args.find((arg) => !arg.startsWith('--'));
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts') && (filter === undefined || name.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`no bench/*.bench.ts matches ${filter ?? '(any)'}`);
  process.exit(1);
}

const rows: Array<BenchResult & { bench: string }> = [];
for (const file of files) {
  const bench = file.replace(/\.bench\.ts$/, '');
  const module = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
  if (typeof module.run !== 'function') {
    console.error(`skipping ${file}: it exports no run(): Promise<BenchResult[]>`);
    continue;
  }
  if (!json) console.error(`running ${bench}…`);
  for (const result of await module.run()) {
    rows.push({ bench, ...result });
    if (json) console.log(JSON.stringify({ bench, ...result }));
  }
}
if (!json) printTable(rows);

function printTable(results: Array<BenchResult & { bench: string }>): void {
  const table = [
    ['bench', 'name', 'value', 'unit', 'note'],
    ...results.map((r) => [r.bench, r.name, formatValue(r.value), r.unit, r.note ?? '']),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const line = (row: string[]): string =>
    row
      .map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ');
  console.log(line(table[0]!).trimEnd());
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of table.slice(1)) console.log(line(row).trimEnd());
}

/** Three significant digits, thousands separated: 1,234,000 / 56.7 / 0.123. */
function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  const rounded = magnitude >= 1000 ? Number(value.toPrecision(3)) : value;
  return rounded.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
