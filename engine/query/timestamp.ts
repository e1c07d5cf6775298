/**
 * Timestamp text: parsing literals such as `'2023-01-01 00:00:00.123'` into ticks of a unit,
 * and formatting ticks back. Text without an offset is read in the session time zone (UTC by
 * default); formatting is UTC, as arrow casts timestamps to text.
 */
import { isUtcZone, localToUtcMs } from './time-zone.ts';

const PATTERN =
  /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

/**
 * Ticks (of `ticksPerSecond`) since the epoch for a timestamp string, or null if malformed.
 * Text without an offset is wall-clock time in `zone` (a session time zone; default UTC).
 */
export function parseTimestampTicks(text: string, ticksPerSecond: number, zone?: string): number | null {
  const ticks = parseTimestampExact(text, ticksPerSecond, zone);
  return ticks === null ? null : Number(ticks);
}

/**
 * As `parseTimestampTicks`, exact: a bigint when the ticks are past 2^53 (nanoseconds since
 * 1970-04-15), else a number.
 */
export function parseTimestampExact(text: string, ticksPerSecond: number, zone?: string): number | bigint | null {
  const match = PATTERN.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
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
  if (offset !== undefined && offset.toUpperCase() !== 'Z') {
    const sign = offset[0] === '-' ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    offsetSeconds = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60);
  } else if (offset === undefined && !isUtcZone(zone)) {
    const wallSeconds = Math.floor(millis / 1000);
    offsetSeconds = wallSeconds - Math.floor(localToUtcMs(zone!, wallSeconds * 1000) / 1000);
  }
  const seconds = Math.floor(millis / 1000) - offsetSeconds;
  const nanos = fraction === undefined ? 0 : Number(fraction.padEnd(9, '0'));
  const part = Math.floor((nanos * ticksPerSecond) / 1e9);
  const ticks = seconds * ticksPerSecond + part;
  if (Math.abs(ticks) < 2 ** 53) return ticks;
  if (ticksPerSecond < 1) return ticks;
  return BigInt(seconds) * BigInt(ticksPerSecond) + BigInt(part);
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction]` in UTC, as arrow casts a timestamp to text (chrono's
 * `%.f`: no fraction when it is zero, else 3, 6 or 9 digits, the fewest that are exact).
 */
export function formatTimestampTicks(ticks: number | bigint, ticksPerSecond: number): string {
  if (typeof ticks === 'bigint') {
    const perSecond = BigInt(ticksPerSecond);
    let whole = ticks / perSecond;
    if (whole * perSecond > ticks) whole -= 1n;
    return formatTimestampTicks(Number(whole), 1).concat(
      fractionText(Number(ticks - whole * perSecond), ticksPerSecond),
    );
  }
  const seconds = Math.floor(ticks / ticksPerSecond);
  const remainder = ticks - seconds * ticksPerSecond;
  const iso = new Date(seconds * 1000).toISOString();
  const base = `${iso.slice(0, 10)}T${iso.slice(11, 19)}`;
  return base + fractionText(remainder, ticksPerSecond);
}

/** `.123`, `.123456` or `.123456789` for ticks into a second; empty for none. */
function fractionText(remainder: number, ticksPerSecond: number): string {
  if (remainder === 0) return '';
  const nanos = Math.round((remainder * 1e9) / ticksPerSecond);
  if (nanos % 1e6 === 0) return `.${String(nanos / 1e6).padStart(3, '0')}`;
  if (nanos % 1e3 === 0) return `.${String(nanos / 1e3).padStart(6, '0')}`;
  return `.${String(nanos).padStart(9, '0')}`;
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
