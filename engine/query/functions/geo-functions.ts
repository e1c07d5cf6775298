/**
 * Geospatial functions of GreptimeDB that need no 64-bit cell ids: geohash (the standard
 * base-32 interleaving of longitude and latitude bits), wkt_point_from_latlng, and the
 * json_encode_path aggregate (points ordered by time as a JSON array of [lng, lat]).
 * H3 and S2 cell ids are full 64-bit integers, which the engine's Float64 numbers cannot hold
 * exactly, so those functions are not here.
 */
import type { Column } from '../column.ts';
import { isInteger, isTemporal } from '../data-type.ts';
import { executionError } from '../errors.ts';
import type { AggregateFunction, GroupsAccumulator, ScalarFunction } from './function.ts';
import { expectArgCount, mapRows, noMatchingSignature, numericLike } from './helpers.ts';

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/** The geohash of a point with `precision` characters (1..12). */
export function geohashEncode(lat: number, lng: number, precision: number): string {
  if (!(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180)) {
    throw executionError(`Invalid function args: invalid coordinate lat=${lat}, lng=${lng}`);
  }
  let latLow = -90;
  let latHigh = 90;
  let lngLow = -180;
  let lngHigh = 180;
  let out = '';
  let bits = 0;
  let value = 0;
  let evenBit = true;
  while (out.length < precision) {
    if (evenBit) {
      const middle = (lngLow + lngHigh) / 2;
      if (lng >= middle) {
        value = value * 2 + 1;
        lngLow = middle;
      } else {
        value *= 2;
        lngHigh = middle;
      }
    } else {
      const middle = (latLow + latHigh) / 2;
      if (lat >= middle) {
        value = value * 2 + 1;
        latLow = middle;
      } else {
        value *= 2;
        latHigh = middle;
      }
    }
    evenBit = !evenBit;
    if (++bits === 5) {
      out += BASE32[value];
      bits = 0;
      value = 0;
    }
  }
  return out;
}

function coordinates(args: Column[], row: number): number[] {
  return args.map((column) => (column.values as Float64Array)[row]);
}

const geohash: ScalarFunction = {
  name: 'geohash',
  signature: 'geohash(Float64, Float64, integer) -> Utf8',
  returnType(args) {
    expectArgCount('geohash', args, 3);
    if (!numericLike(args[0]) || !numericLike(args[1]) || !(isInteger(args[2]) || args[2] === 'Null')) {
      throw noMatchingSignature('geohash', args);
    }
    return 'Utf8';
  },
  evaluate: (args, length, type) =>
    mapRows(args, length, type, coordinates, ([lat, lng, precision]) => {
      if (!(precision >= 1 && precision <= 12)) {
        throw executionError(`Invalid function args: Invalid geohash resolution ${precision}, expect value: [1, 12]`);
      }
      return geohashEncode(lat, lng, precision);
    }),
};

/** Rust's shortest round-trip float text, which JavaScript's String(number) matches for normal values. */
function floatText(value: number): string {
  return String(value);
}

const wktPointFromLatlng: ScalarFunction = {
  name: 'wkt_point_from_latlng',
  signature: 'wkt_point_from_latlng(Float64, Float64) -> Utf8',
  returnType(args) {
    expectArgCount('wkt_point_from_latlng', args, 2);
    if (!args.every(numericLike)) throw noMatchingSignature('wkt_point_from_latlng', args);
    return 'Utf8';
  },
  evaluate: (args, length, type) =>
    mapRows(args, length, type, coordinates, ([lat, lng]) => `POINT(${floatText(lng)} ${floatText(lat)})`),
};

/** `json_encode_path(lat, lng, ts)`: the group's points sorted by time, as `[[lng,lat],...]`. */
const jsonEncodePath: AggregateFunction = {
  name: 'json_encode_path',
  signature: 'json_encode_path(Float64, Float64, Timestamp) -> Utf8',
  returnType(args) {
    expectArgCount('json_encode_path', args, 3);
    if (!numericLike(args[0]) || !numericLike(args[1]) || !(isTemporal(args[2]) || isInteger(args[2]))) {
      throw noMatchingSignature('json_encode_path', args);
    }
    return 'Utf8';
  },
  createAccumulator(): GroupsAccumulator {
    const points: { lat: number; lng: number; ts: number }[][] = [];
    let count = 0;
    return {
      update(args, groupIds, groupCount) {
        while (points.length < groupCount) points.push([]);
        if (args.some((column) => column.type === 'Null')) return;
        const [lat, lng, ts] = args.map((column) => column.values as Float64Array);
        for (let i = 0; i < groupIds.length; i++) {
          if (args.some((column) => column.valid !== null && column.valid[i] === 0)) continue;
          points[groupIds[i]].push({ lat: lat[i], lng: lng[i], ts: ts[i] });
          count++;
        }
      },
      finish(groupCount) {
        while (points.length < groupCount) points.push([]);
        const values = points.slice(0, groupCount).map((list) => {
          const sorted = [...list].sort((a, b) => a.ts - b.ts);
          return `[${sorted.map((point) => `[${floatText(point.lng)},${floatText(point.lat)}]`).join(',')}]`;
        });
        return { type: 'Utf8', length: groupCount, values, valid: null };
      },
      bytes: () => count * 48,
    };
  },
};

/** These functions, registered by registry.ts. */
export const geoFunctions: ScalarFunction[] = [geohash, wktPointFromLatlng];
export const geoAggregates: AggregateFunction[] = [jsonEncodePath];
