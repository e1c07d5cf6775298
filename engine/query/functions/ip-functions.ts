/**
 * GreptimeDB's IP address functions: ipv4_string_to_num / inet_aton, ipv4_num_to_string /
 * inet_ntoa, ipv4_to_cidr, ipv4_in_range, ipv6_num_to_string, ipv6_to_cidr, ipv6_in_range.
 * Addresses print as Rust's `Ipv4Addr` / `Ipv6Addr` do (RFC 5952 compression, `::ffff:a.b.c.d`
 * for IPv4-mapped addresses); the automatic CIDR prefixes follow GreptimeDB's rules.
 */
import type { Column } from '../column.ts';
import { isInteger } from '../data-type.ts';
import { executionError } from '../errors.ts';
import type { ScalarFunction } from './function.ts';
import { expectArgCount, mapRows, noMatchingSignature, stringLike } from './helpers.ts';

/** An IPv4 address as a number, or null when the text is not a dotted quad. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** An IPv6 address as 8 segments, or null when the text is not one (an IPv4 tail is allowed). */
export function parseIpv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parseGroup = (part: string, last: boolean): number[] | null => {
    if (part === '') return [];
    const pieces = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (last && i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === null) return null;
        out.push(Math.floor(v4 / 65536), v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) out.push(parseInt(piece, 16));
      else return null;
    }
    return out;
  };
  if (halves.length === 1) {
    const segments = parseGroup(halves[0], true);
    return segments !== null && segments.length === 8 ? segments : null;
  }
  const head = parseGroup(halves[0], false);
  const tail = parseGroup(halves[1], true);
  if (head === null || tail === null || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** The address as Rust prints an `Ipv6Addr`. */
export function formatIpv6(segments: number[]): string {
  if (segments.slice(0, 5).every((s) => s === 0) && segments[5] === 0xffff) {
    return `::ffff:${formatIpv4(segments[6] * 65536 + segments[7])}`;
  }
  // The longest run of zero segments (the first on ties), if longer than one, becomes `::`.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (segments[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && segments[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (list: number[]): string => list.map((s) => s.toString(16)).join(':');
  if (bestLength <= 1) return hex(segments);
  return `${hex(segments.slice(0, bestStart))}::${hex(segments.slice(bestStart + bestLength))}`;
}

/** Completes `192.168` to `192.168.0.0`, as GreptimeDB's CIDR functions do. */
function completeIpv4(text: string): number {
  const direct = parseIpv4(text);
  if (direct !== null) return direct;
  const dots = [...text].filter((char) => char === '.').length;
  const completed = dots === 0 ? `${text}.0.0.0` : dots === 1 ? `${text}.0.0` : dots === 2 ? `${text}.0` : text;
  const parsed = parseIpv4(completed);
  if (parsed === null) throw executionError(`Invalid function args: Invalid IPv4 address: ${text}`);
  return parsed;
}

function completeIpv6(text: string): number[] {
  const direct = parseIpv6(text);
  if (direct !== null) return direct;
  const completed = text.endsWith(':') ? `${text}:` : text.includes('::') ? text : `${text}::`;
  const parsed = parseIpv6(completed);
  if (parsed === null) throw executionError(`Invalid function args: Invalid IPv6 address: ${text}`);
  return parsed;
}

function maskIpv4(value: number, prefix: number): number {
  if (prefix <= 0) return 0;
  if (prefix >= 32) return value;
  return (value & (0xffffffff << (32 - prefix))) >>> 0;
}

function maskIpv6(segments: number[], prefix: number): number[] {
  return segments.map((segment, i) => {
    const start = i * 16;
    if (prefix >= start + 16) return segment;
    if (prefix <= start) return 0;
    return segment & ((0xffff << (16 - (prefix - start))) & 0xffff);
  });
}

/** GreptimeDB's automatic IPv4 prefix: by the number of parts given, else by trailing zero bytes. */
function autoIpv4Prefix(text: string, value: number): number {
  const dots = [...text].filter((char) => char === '.').length;
  if (dots < 3) return 8 * (dots + 1);
  let trailingZeros = 0;
  while (trailingZeros < 32 && Math.floor(value / 2 ** trailingZeros) % 2 === 0) trailingZeros++;
  return trailingZeros % 8 === 0 ? 32 - trailingZeros : 32 - Math.floor(trailingZeros / 8) * 8;
}

/** GreptimeDB's automatic IPv6 prefix, including its fixed prefixes for documentation, loopback and link-local addresses. */
function autoIpv6Prefix(segments: number[]): number {
  const text = formatIpv6(segments);
  if (text.startsWith('2001:db8:')) return 32;
  if (text === '::1') return 128;
  if (text.startsWith('fe80::')) return 16;
  let prefix = 128;
  for (let i = 7; i >= 0; i--) {
    if (segments[i] === 0) continue;
    prefix = (segments[i] & 0xff) === 0 ? i * 16 + 8 : (i + 1) * 16;
    break;
  }
  return prefix < 16 ? 64 : prefix;
}

function text(args: Column[], row: number, index: number): string {
  return (args[index].values as string[])[row].trim();
}

function number(args: Column[], row: number, index: number): number {
  return (args[index].values as Float64Array)[row];
}

const ipv4StringToNum = (name: string): ScalarFunction => ({
  name,
  signature: `${name}(Utf8) -> UInt32`,
  returnType(args) {
    expectArgCount(name, args, 1);
    if (!stringLike(args[0])) throw noMatchingSignature(name, args);
    return 'UInt32';
  },
  evaluate: (args, length, type) =>
    mapRows(
      args,
      length,
      type,
      (columns, row) => text(columns, row, 0),
      (value) => {
        const parsed = parseIpv4(value);
        if (parsed === null) throw executionError(`Invalid function args: Invalid IPv4 address format: ${value}`);
        return parsed;
      },
    ),
});

const ipv4NumToString = (name: string): ScalarFunction => ({
  name,
  signature: `${name}(integer) -> Utf8`,
  returnType(args) {
    expectArgCount(name, args, 1);
    if (!(isInteger(args[0]) || args[0] === 'Null')) throw noMatchingSignature(name, args);
    return 'Utf8';
  },
  evaluate: (args, length, type) =>
    mapRows(
      args,
      length,
      type,
      (columns, row) => number(columns, row, 0),
      (value) => formatIpv4(value >>> 0),
    ),
});

function cidrFunction(name: string, v6: boolean): ScalarFunction {
  return {
    name,
    signature: `${name}(Utf8 [, UInt8]) -> Utf8`,
    returnType(args) {
      expectArgCount(name, args, 1, 2);
      if (!stringLike(args[0]) || (args.length === 2 && !(isInteger(args[1]) || args[1] === 'Null'))) {
        throw noMatchingSignature(name, args);
      }
      return 'Utf8';
    },
    evaluate: (args, length, type) =>
      mapRows(
        args,
        length,
        type,
        (columns, row) => ({ ip: text(columns, row, 0), mask: columns.length > 1 ? number(columns, row, 1) : null }),
        ({ ip, mask }) => {
          if (ip === '') throw executionError(`Invalid function args: Empty IPv${v6 ? 6 : 4} address`);
          if (v6) {
            const segments = completeIpv6(ip);
            const prefix = mask ?? autoIpv6Prefix(segments);
            return `${formatIpv6(maskIpv6(segments, prefix))}/${prefix}`;
          }
          const value = completeIpv4(ip);
          const prefix = mask ?? autoIpv4Prefix(ip, value);
          return `${formatIpv4(maskIpv4(value, prefix))}/${prefix}`;
        },
      ),
  };
}

function inRange(name: string, v6: boolean): ScalarFunction {
  return {
    name,
    signature: `${name}(Utf8, Utf8) -> Boolean`,
    returnType(args) {
      expectArgCount(name, args, 2);
      if (!args.every(stringLike)) throw noMatchingSignature(name, args);
      return 'Boolean';
    },
    evaluate: (args, length, type) =>
      mapRows(
        args,
        length,
        type,
        (columns, row) => ({ ip: text(columns, row, 0), cidr: text(columns, row, 1) }),
        ({ ip, cidr }) => {
          const slash = cidr.indexOf('/');
          if (slash === -1) throw executionError(`Invalid function args: Invalid CIDR notation: ${cidr}`);
          const prefix = Number(cidr.slice(slash + 1));
          if (!Number.isInteger(prefix) || prefix < 0 || prefix > (v6 ? 128 : 32)) {
            throw executionError(`Invalid function args: Invalid subnet mask in CIDR: ${cidr}`);
          }
          if (v6) {
            const address = parseIpv6(ip);
            const network = parseIpv6(cidr.slice(0, slash));
            if (address === null) throw executionError(`Invalid function args: Invalid IPv6 address: ${ip}`);
            if (network === null) throw executionError(`Invalid function args: Invalid CIDR notation: ${cidr}`);
            const a = maskIpv6(address, prefix);
            const b = maskIpv6(network, prefix);
            return a.every((segment, i) => segment === b[i]);
          }
          const address = parseIpv4(ip);
          const network = parseIpv4(cidr.slice(0, slash));
          if (address === null) throw executionError(`Invalid function args: Invalid IPv4 address: ${ip}`);
          if (network === null) throw executionError(`Invalid function args: Invalid CIDR notation: ${cidr}`);
          return maskIpv4(address, prefix) === maskIpv4(network, prefix);
        },
      ),
  };
}

/** `ipv6_num_to_string(hex)`: 32 hex digits (16 bytes) to the address text. */
const ipv6NumToString: ScalarFunction = {
  name: 'ipv6_num_to_string',
  signature: 'ipv6_num_to_string(Utf8) -> Utf8',
  returnType(args) {
    expectArgCount('ipv6_num_to_string', args, 1);
    if (!stringLike(args[0])) throw noMatchingSignature('ipv6_num_to_string', args);
    return 'Utf8';
  },
  evaluate: (args, length, type) =>
    mapRows(
      args,
      length,
      type,
      (columns, row) => text(columns, row, 0),
      (hex) => {
        if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
          throw executionError(`Invalid function args: Expected 32 hex characters, got: ${hex}`);
        }
        const segments: number[] = [];
        for (let i = 0; i < 32; i += 4) segments.push(parseInt(hex.slice(i, i + 4), 16));
        return formatIpv6(segments);
      },
    ),
};

/** These functions, registered by registry.ts. */
export const ipFunctions: ScalarFunction[] = [
  ipv4StringToNum('ipv4_string_to_num'),
  ipv4StringToNum('inet_aton'),
  ipv4NumToString('ipv4_num_to_string'),
  ipv4NumToString('inet_ntoa'),
  cidrFunction('ipv4_to_cidr', false),
  cidrFunction('ipv6_to_cidr', true),
  inRange('ipv4_in_range', false),
  inRange('ipv6_in_range', true),
  ipv6NumToString,
];
