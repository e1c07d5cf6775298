/**
 * Session time zones as GreptimeDB takes them: `UTC`, a fixed offset (`+08:00`, `-8:00`) or an
 * IANA name (`Asia/Shanghai`, through Intl). A time zone turns wall-clock text without an offset
 * into an instant (INSERT values, string comparisons with timestamps, `ALIGN ... TO`) and an
 * instant into wall-clock fields (`date_format`).
 */
import { ErrorCode, TesseraError } from '../common/index.ts';

const FIXED = /^([+-])(\d{1,2}):(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether the zone is UTC (the default: no conversion at all). */
export function isUtcZone(zone: string | undefined): boolean {
  return zone === undefined || /^(utc|z|\+00:00|-00:00|\+0:00)$/i.test(zone);
}

/**
 * The zone as GreptimeDB shows it (`timezone()`, SHOW VARIABLES): fixed offsets as `+08:00`,
 * names as given. Throws InvalidArguments for what is not a time zone.
 */
export function normalizeTimeZone(zone: string): string {
  if (/^(utc|z)$/i.test(zone)) return 'UTC';
  const fixed = FIXED.exec(zone);
  if (fixed !== null) {
    const hours = Number(fixed[2]);
    const minutes = Number(fixed[3]);
    if (hours > 23 || minutes > 59) throw invalidTimeZone(zone);
    return `${fixed[1]}${String(hours).padStart(2, '0')}:${fixed[3]}`;
  }
  try {
    formatterOf(zone);
  } catch {
    throw invalidTimeZone(zone);
  }
  return zone;
}

function invalidTimeZone(zone: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Invalid timezone: ${zone}`);
}

/** Milliseconds east of UTC of `zone` at the instant `utcMs`. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  if (isUtcZone(zone)) return 0;
  const fixed = FIXED.exec(zone);
  if (fixed !== null) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000;
  let name: string;
  try {
    const date = new Date(Math.min(Math.max(utcMs, -8.64e15), 8.64e15));
    name =
      formatterOf(zone)
        .formatToParts(date)
        .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  } catch {
    throw invalidTimeZone(zone);
  }
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return offset === null ? 0 : (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000;
}

/** The instant (ms since the epoch) of a wall-clock time in `zone`, given as ms as if it were UTC. */
export function localToUtcMs(zone: string, localMs: number): number {
  if (isUtcZone(zone)) return localMs;
  // The offset at the guess, corrected once for a transition between guess and result.
  const first = zoneOffsetMs(zone, localMs);
  const second = zoneOffsetMs(zone, localMs - first);
  return localMs - second;
}
