/**
 * Timestamp text: parsing literals such as `'2023-01-01 00:00:00.123'` into ticks of a unit,
 * and formatting ticks back. Without a zone the text is UTC (GreptimeDB's default time zone;
 * session time zones are not applied yet).
 */

const PATTERN =
  /^\s*(-?\d{4,})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

/** Ticks (of `ticksPerSecond`) since the epoch for a timestamp string, or null if malformed. */
export function parseTimestampTicks(text: string, ticksPerSecond: number): number | null {
  const match = PATTERN.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const millis = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
  );
  if (Number.isNaN(millis) || Number(month) > 12 || Number(day) > 31) return null;
  let offsetSeconds = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetSeconds = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60);
  }
  const seconds = Math.floor(millis / 1000) - offsetSeconds;
  const nanos = fraction === undefined ? 0 : Number(fraction.padEnd(9, '0'));
  return seconds * ticksPerSecond + Math.floor((nanos * ticksPerSecond) / 1e9);
}

/** `YYYY-MM-DD HH:MM:SS[.fraction]` in UTC, the fraction as long as the unit needs. */
export function formatTimestampTicks(ticks: number, ticksPerSecond: number): string {
  const seconds = Math.floor(ticks / ticksPerSecond);
  const remainder = ticks - seconds * ticksPerSecond;
  const iso = new Date(seconds * 1000).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  if (ticksPerSecond === 1) return base;
  const digits = String(ticksPerSecond).length - 1;
  return `${base}.${String(remainder).padStart(digits, '0')}`;
}

/** Days since the epoch for date text (`2023-01-01`, a time of day is dropped), or null. */
export function parseDateDays(text: string): number | null {
  const seconds = parseTimestampTicks(text, 1);
  return seconds === null ? null : Math.floor(seconds / 86400);
}

/** `YYYY-MM-DD` for days since the epoch. */
export function formatDateDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}
