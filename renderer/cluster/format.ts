/** Numbers as the board shows them: compact counts and binary byte sizes. */

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  const exponent = Math.min(units.length - 1, Math.floor(Math.log2(bytes) / 10));
  const value = bytes / 1024 ** exponent;
  return `${exponent === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[exponent]}`;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(count: number): string {
  return count < 10_000 ? count.toLocaleString('en') : compact.format(count);
}

/** An identifier as SQL text: bare when it can be, double-quoted otherwise. */
export function sqlIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** The query "Query this table" opens: the table's first rows. */
export function selectTableSql(table: string): string {
  return `SELECT * FROM ${sqlIdentifier(table)} LIMIT 100;`;
}
