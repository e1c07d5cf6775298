/**
 * Intervals as DataFusion computes them: Arrow's `Interval(MonthDayNano)`, three independent
 * parts (months, days, nanoseconds) because a month and a day have no fixed length. Parsing
 * accepts DataFusion's text (`1 year 2 months 3 days 4 hours`), GreptimeDB's short forms
 * (`55h`, `-1h5m`, `1y2w3d4h`, `3y2mon`) and ISO 8601 durations (`P1DT2H`); printing is
 * arrow's (`14 mons 3 days 4 hours 5 mins 6.000100000 secs`).
 */

/** One interval value. `nanos` is a bigint: a day of nanoseconds already passes 2^53 / 1e5. */
export interface IntervalValue {
  months: number;
  days: number;
  nanos: bigint;
}

export const ZERO_INTERVAL: IntervalValue = { months: 0, days: 0, nanos: 0n };

const NANOS_PER_SECOND = 1_000_000_000n;
const NANOS_PER_DAY = 86_400n * NANOS_PER_SECOND;

/** Unit words DataFusion accepts, with the part they count and how many of it one unit is. */
const UNITS: Record<string, { part: 'months' | 'days' | 'nanos'; amount: number }> = {
  century: { part: 'months', amount: 1200 },
  centuries: { part: 'months', amount: 1200 },
  decade: { part: 'months', amount: 120 },
  decades: { part: 'months', amount: 120 },
  year: { part: 'months', amount: 12 },
  years: { part: 'months', amount: 12 },
  month: { part: 'months', amount: 1 },
  months: { part: 'months', amount: 1 },
  week: { part: 'days', amount: 7 },
  weeks: { part: 'days', amount: 7 },
  day: { part: 'days', amount: 1 },
  days: { part: 'days', amount: 1 },
  hour: { part: 'nanos', amount: 3600e9 },
  hours: { part: 'nanos', amount: 3600e9 },
  minute: { part: 'nanos', amount: 60e9 },
  minutes: { part: 'nanos', amount: 60e9 },
  second: { part: 'nanos', amount: 1e9 },
  seconds: { part: 'nanos', amount: 1e9 },
  millisecond: { part: 'nanos', amount: 1e6 },
  milliseconds: { part: 'nanos', amount: 1e6 },
  microsecond: { part: 'nanos', amount: 1e3 },
  microseconds: { part: 'nanos', amount: 1e3 },
  nanosecond: { part: 'nanos', amount: 1 },
  nanoseconds: { part: 'nanos', amount: 1 },
};

/** GreptimeDB's abbreviations, expanded before DataFusion parses the text. */
const ABBREVIATIONS: Record<string, string> = {
  y: 'years',
  mon: 'months',
  w: 'weeks',
  d: 'days',
  h: 'hours',
  m: 'minutes',
  s: 'seconds',
  millis: 'milliseconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
};

const COMPACT = /^(?:[+-]?\d+(?:\.\d+)?(?:y|mon|w|d|h|m|s|ms|millis|us|ns))+$/i;
const COMPACT_PART = /([+-]?\d+(?:\.\d+)?)(mon|millis|ms|us|ns|y|w|d|h|m|s)/gi;

/**
 * GreptimeDB's rewrite of interval text before planning: `3y2mon` becomes `3 years 2 months`,
 * an ISO 8601 duration becomes `N milliseconds` (years of 365 days, months of 30); other text
 * is kept. The rewritten text is also what the column name shows.
 */
export function normalizeIntervalText(text: string): string {
  const trimmed = text.trim();
  if (COMPACT.test(trimmed)) {
    const parts: string[] = [];
    for (const match of trimmed.matchAll(COMPACT_PART)) {
      parts.push(`${match[1]} ${ABBREVIATIONS[match[2].toLowerCase()]}`);
    }
    return parts.join(' ');
  }
  const iso = isoMilliseconds(trimmed);
  return iso === null ? text : `${iso} milliseconds`;
}

const ISO =
  /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

function isoMilliseconds(text: string): number | null {
  const match = ISO.exec(text);
  if (match === null || text.length <= 1 || /^-?P$/i.test(text) || /T$/i.test(text)) return null;
  const [, negative, years, months, weeks, days, hours, minutes, seconds] = match;
  const day = 86_400_000;
  const total =
    Number(years ?? 0) * 365 * day +
    Number(months ?? 0) * 30 * day +
    Number(weeks ?? 0) * 7 * day +
    Number(days ?? 0) * day +
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Number(seconds ?? 0) * 1000;
  return Math.round(negative ? -total : total);
}

/** An interval from text in any accepted form, or null when the text is not an interval. */
export function parseInterval(text: string): IntervalValue | null {
  const words = normalizeIntervalText(text).trim().toLowerCase().split(/\s+/);
  if (words.length === 0 || words[0] === '') return null;
  let months = 0;
  let days = 0;
  let nanos = 0n;
  for (let i = 0; i < words.length; i++) {
    const amountText = words[i];
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(amountText)) return null;
    const unitWord = words[i + 1];
    // A number without a unit counts seconds (DataFusion's default).
    const unit = unitWord === undefined ? UNITS.seconds : UNITS[unitWord];
    if (unit === undefined) return null;
    if (unitWord !== undefined) i++;
    const amount = Number(amountText);
    // Fractions spill into the next smaller part: 1.5 years is 18 months, 1.5 months 1 month 15 days.
    if (unit.part === 'months') {
      const total = amount * unit.amount;
      const whole = Math.trunc(total);
      months += whole;
      const dayPart = (total - whole) * 30;
      const wholeDays = Math.trunc(dayPart);
      days += wholeDays;
      nanos += BigInt(Math.round((dayPart - wholeDays) * 86_400e9));
    } else if (unit.part === 'days') {
      const total = amount * unit.amount;
      const whole = Math.trunc(total);
      days += whole;
      nanos += BigInt(Math.round((total - whole) * 86_400e9));
    } else {
      nanos += exactNanos(amountText, unit.amount);
    }
  }
  return { months, days, nanos };
}

/** `amount * unitNanos` exactly from the amount's text (so `6.0001 seconds` loses nothing). */
function exactNanos(amountText: string, unitNanos: number): bigint {
  const negative = amountText.startsWith('-');
  const body = amountText.replace(/^[+-]/, '');
  const [whole, fraction = ''] = body.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt((whole || '0') + fraction) * BigInt(unitNanos);
  const value = scaled / scale;
  return negative ? -value : value;
}

/** Arrow's display: `14 mons 3 days 4 hours 5 mins 6.000100000 secs`, `0 secs` for zero. */
export function formatInterval(value: IntervalValue): string {
  const { months, days, nanos } = value;
  if (months === 0 && days === 0 && nanos === 0n) return '0 secs';
  const parts: string[] = [];
  if (months !== 0) parts.push(`${months} mons`);
  if (days !== 0) parts.push(`${days} days`);
  if (nanos !== 0n) {
    let seconds = nanos / NANOS_PER_SECOND;
    let minutes = seconds / 60n;
    const hours = minutes / 60n;
    seconds -= minutes * 60n;
    minutes -= hours * 60n;
    const fraction = nanos % NANOS_PER_SECOND;
    if (hours !== 0n) parts.push(`${hours} hours`);
    if (minutes !== 0n) parts.push(`${minutes} mins`);
    if (seconds !== 0n || fraction !== 0n) {
      const sign = seconds < 0n || fraction < 0n ? '-' : '';
      const abs = (x: bigint): bigint => (x < 0n ? -x : x);
      parts.push(`${sign}${abs(seconds)}.${abs(fraction).toString().padStart(9, '0')} secs`);
    }
  }
  return parts.join(' ');
}

/** How DataFusion prints an interval literal in plans and column names. */
export function intervalLiteralText(value: IntervalValue): string {
  const body = `IntervalMonthDayNano { months: ${value.months}, days: ${value.days}, nanoseconds: ${value.nanos} }`;
  return `IntervalMonthDayNano("${body}")`;
}

export function addIntervals(a: IntervalValue, b: IntervalValue, sign: 1 | -1): IntervalValue {
  return { months: a.months + sign * b.months, days: a.days + sign * b.days, nanos: a.nanos + BigInt(sign) * b.nanos };
}

export function negateInterval(a: IntervalValue): IntervalValue {
  return { months: -a.months, days: -a.days, nanos: -a.nanos };
}

/** Arrow's ordering of MonthDayNano values: months, then days, then nanoseconds. */
export function compareIntervals(a: IntervalValue, b: IntervalValue): number {
  if (a.months !== b.months) return a.months < b.months ? -1 : 1;
  if (a.days !== b.days) return a.days < b.days ? -1 : 1;
  if (a.nanos !== b.nanos) return a.nanos < b.nanos ? -1 : 1;
  return 0;
}

/**
 * A timestamp (`ticks` of `ticksPerSecond`, UTC) moved by an interval: months on the calendar
 * (the day clamped to the month's end, as chrono does), then days, then nanoseconds.
 */
/** As `addIntervalToTicks`, exact on bigint ticks (nanoseconds past 2^53): calendar math on whole seconds. */
export function addIntervalToExactTicks(
  ticks: bigint,
  ticksPerSecond: number,
  interval: IntervalValue,
  sign: 1 | -1,
): bigint {
  const perSecond = BigInt(ticksPerSecond);
  let seconds = ticks / perSecond;
  if (seconds * perSecond > ticks) seconds -= 1n;
  const rest = ticks - seconds * perSecond;
  const moved = BigInt(addIntervalToTicks(Number(seconds), 1, { ...interval, nanos: 0n }, sign));
  const nanos = (interval.nanos * perSecond) / NANOS_PER_SECOND;
  return moved * perSecond + rest + (sign === 1 ? nanos : -nanos);
}

export function addIntervalToTicks(
  ticks: number,
  ticksPerSecond: number,
  interval: IntervalValue,
  sign: 1 | -1,
): number {
  let result = ticks;
  if (interval.months !== 0 || interval.days !== 0) {
    const seconds = Math.floor(ticks / ticksPerSecond);
    const rest = ticks - seconds * ticksPerSecond;
    const date = new Date(seconds * 1000);
    if (interval.months !== 0) {
      const day = date.getUTCDate();
      date.setUTCDate(1);
      date.setUTCMonth(date.getUTCMonth() + sign * interval.months);
      const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
      date.setUTCDate(Math.min(day, lastDay));
    }
    if (interval.days !== 0) date.setUTCDate(date.getUTCDate() + sign * interval.days);
    result = (date.getTime() / 1000) * ticksPerSecond + rest;
  }
  if (interval.nanos !== 0n) {
    result += sign * Number((interval.nanos * BigInt(ticksPerSecond)) / NANOS_PER_SECOND);
  }
  return result;
}

/** Days since the epoch moved by an interval (its time part must be whole days). */
export function addIntervalToDays(days: number, interval: IntervalValue, sign: 1 | -1): number {
  const ticks = addIntervalToTicks(days * 86400, 1, interval, sign);
  return Math.floor(ticks / 86400);
}

export { NANOS_PER_DAY };
