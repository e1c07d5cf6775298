/**
 * Decimal128 arithmetic, exact: a value is a `bigint` holding the number times 10^scale (as
 * Arrow stores it). Result types follow DataFusion's coercion (arrow-rs's rules), text is
 * parsed and printed as arrow-cast does, and overflow raises arrow's errors.
 */
import type { DecimalType, SqlType } from './data-type.ts';
import { decimalParams, decimalType, isDecimal, isInteger } from './data-type.ts';
import { executionError, planningError } from './errors.ts';

export const MAX_DECIMAL_PRECISION = 38;

const POWERS: bigint[] = [];
for (let i = 0, p = 1n; i <= 80; i++, p *= 10n) POWERS.push(p);

/** 10^n as a bigint. */
export function pow10(n: number): bigint {
  return POWERS[n] ?? 10n ** BigInt(n);
}

/** The decimal an integer type widens to when it meets a decimal (arrow's coercion). */
export function integerDecimalType(type: SqlType): DecimalType | null {
  switch (type) {
    case 'Int8':
    case 'UInt8':
      return decimalType(3, 0);
    case 'Int16':
    case 'UInt16':
      return decimalType(5, 0);
    case 'Int32':
    case 'UInt32':
      return decimalType(10, 0);
    case 'Int64':
    case 'UInt64':
      return decimalType(20, 0);
  }
  return null;
}

/** A decimal type for an operand: itself, or the decimal an integer widens to. */
function asDecimal(type: SqlType): DecimalType | null {
  if (isDecimal(type)) return type;
  if (isInteger(type)) return integerDecimalType(type);
  return null;
}

/**
 * The result type of `left op right` when one side is a decimal and the other a decimal or an
 * integer (null otherwise): DataFusion's decimal arithmetic rules.
 */
export function decimalArithmeticType(op: string, left: SqlType, right: SqlType): DecimalType | null {
  if (!isDecimal(left) && !isDecimal(right)) return null;
  const l = asDecimal(left);
  const r = asDecimal(right);
  if (l === null || r === null) return null;
  const { precision: p1, scale: s1 } = decimalParams(l);
  const { precision: p2, scale: s2 } = decimalParams(r);
  const clamp = (p: number): number => Math.min(MAX_DECIMAL_PRECISION, p);
  switch (op) {
    case '+':
    case '-': {
      const scale = Math.max(s1, s2);
      return decimalType(clamp(Math.max(p1 - s1, p2 - s2) + scale + 1), scale);
    }
    case '*': {
      const scale = s1 + s2;
      if (scale > MAX_DECIMAL_PRECISION) {
        throw planningError(
          `Cannot get result type for decimal operation ${l} * ${r}: Invalid argument error: Output scale of ${l} * ${r} would exceed max scale of 38`,
        );
      }
      return decimalType(clamp(p1 + p2 + 1), scale);
    }
    case '/': {
      const scale = Math.min(MAX_DECIMAL_PRECISION, Math.max(6, s1 + p2 + 1));
      return decimalType(clamp(p1 - s1 + s2 + scale), scale);
    }
    case '%': {
      const scale = Math.max(s1, s2);
      return decimalType(clamp(Math.min(p1 - s1, p2 - s2) + scale), scale);
    }
  }
  return null;
}

/** The common decimal two compared operands are brought to (wider integer part and scale). */
export function decimalComparisonType(left: SqlType, right: SqlType): DecimalType | null {
  const l = asDecimal(left);
  const r = asDecimal(right);
  if (l === null || r === null || (!isDecimal(left) && !isDecimal(right))) return null;
  const { precision: p1, scale: s1 } = decimalParams(l);
  const { precision: p2, scale: s2 } = decimalParams(r);
  const scale = Math.max(s1, s2);
  return decimalType(Math.min(MAX_DECIMAL_PRECISION, Math.max(p1 - s1, p2 - s2) + scale), scale);
}

/** `value / divisor` rounded half away from zero. */
export function divRound(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor;
  const remainder = value % divisor;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= divisor) return value < 0n ? quotient - 1n : quotient + 1n;
  return quotient;
}

/** A scaled value at another scale (rounding half away from zero when the scale shrinks). */
export function rescale(value: bigint, fromScale: number, toScale: number): bigint {
  if (toScale === fromScale) return value;
  if (toScale > fromScale) return value * pow10(toScale - fromScale);
  return divRound(value, pow10(fromScale - toScale));
}

/** The text of a scaled value with exactly `scale` fraction digits (`1.50`, `-0.05`, `12`). */
export function formatDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  if (scale === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

/** Throws arrow's error unless `value` fits `precision` digits. */
export function checkPrecision(value: bigint, precision: number, scale: number): bigint {
  const limit = pow10(precision);
  if (value >= limit || value <= -limit) {
    throw executionError(
      `Invalid argument error: ${formatDecimal(value, scale)} is too large to store in a Decimal128 of precision ${precision}. Max is ${formatDecimal(limit - 1n, scale)}`,
    );
  }
  return value;
}

const DECIMAL_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/** The scaled value of decimal text (`-1.25`, `3e2`), rounded to `scale`; null if not a number. */
export function parseDecimal(text: string, scale: number): bigint | null {
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) return null;
  const [, sign, whole, fraction = '', exponent] = match;
  if (whole === '' && fraction === '') return null;
  const digits = BigInt((whole || '0') + fraction);
  const exp = exponent === undefined ? 0 : Number(exponent);
  // digits * 10^(exp - fraction.length), brought to `scale`.
  const shift = scale + exp - fraction.length;
  const magnitude = shift >= 0 ? digits * pow10(shift) : divRound(digits, pow10(-shift));
  return sign === '-' ? -magnitude : magnitude;
}

/**
 * A float as Rust's `Display` prints it: never in exponent form (`17014118346046924000000000000000000000`,
 * `0.0000001`), the shortest digits that read back as the same float.
 */
export function rustFloatDisplay(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign, first, rest = '', exponentText] = match;
  const digits = first + rest;
  const exponent = Number(exponentText);
  if (exponent >= 0) return sign + digits.padEnd(exponent + 1, '0');
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}

/**
 * A float as Rust's `Debug` prints it (arrow's cast errors): `100.0`, and the exponent form
 * outside 1e-4 ..< 1e16 (`1.7014118346046924e37`); `single` gives a Float32's shortest digits.
 */
export function rustFloatDebug(value: number, single: boolean): string {
  let text = String(value);
  if (single) {
    for (let precision = 1; precision <= 9; precision++) {
      const candidate = Number(value.toPrecision(precision));
      if (Math.fround(candidate) === Math.fround(value)) {
        text = String(candidate);
        break;
      }
    }
  }
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16)) {
    return Number(text).toExponential().replace('e+', 'e');
  }
  const plain = rustFloatDisplay(Number(text));
  return /[.e]/.test(plain) || !Number.isFinite(value) ? plain : `${plain}.0`;
}

/** The scaled value of a finite float, rounded half away from zero; null for NaN or infinities. */
export function decimalFromFloat(value: number, scale: number): bigint | null {
  if (!Number.isFinite(value)) return null;
  // The shortest text of the float is what a user wrote; parsing it avoids binary noise.
  return parseDecimal(String(value), scale);
}

/** The float nearest a scaled value. */
export function decimalToFloat(value: bigint, scale: number): number {
  return Number(formatDecimal(value, scale));
}
