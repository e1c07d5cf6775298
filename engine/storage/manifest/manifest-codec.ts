/**
 * The bytes of manifest files. Every file is one JSON object (UTF-8, one line, then '\n') with
 * the same envelope, so any file can be checked alone:
 *
 *   format    1. A reader refuses a higher one with `ManifestFormatUnsupported`, never guesses.
 *   kind      "delta" | "checkpoint" | "pointer" | "dropping": must match the file's name.
 *   regionId  the region the file belongs to (a file copied into the wrong directory is caught).
 *   version   the manifest version: of the edit (delta), of the state (checkpoint), of the
 *             newest checkpoint (pointer), of the state when the drop began (dropping).
 *             Must match the version in the file's name.
 *   edit      delta only: the `RegionEdit`, with the fields of its type (region-edit.ts).
 *   state     checkpoint only: the `RegionManifestState` without regionId and version (which
 *             are in the envelope), `files` as an array in insertion order.
 *   crc32     last: CRC-32 (zlib) of the UTF-8 bytes of `JSON.stringify` of the object without
 *             it. A reader parses, removes `crc32`, stringifies the rest and compares: JSON
 *             written by `JSON.stringify` reads back to the same text, so any change to a
 *             value (or a truncated file, which does not parse) is caught.
 *
 * Inside `edit` and `state`, a file's `timeRange` is two decimal strings (`["1700000000000",
 * "1700000059999"]`): they are bigints, which JSON numbers cannot carry exactly. Everything
 * else is a JSON number, string, boolean, array or object as in the TypeScript types.
 *
 * Any problem reading a file is `StorageCorrupted` naming the file, its store, the region and
 * the version: a damaged manifest file is never skipped, because skipping it would silently
 * drop or resurrect data.
 */

import { crc32 } from 'node:zlib';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { normalizeManifestState } from './manifest-state.ts';
import type { RegionManifestState } from './manifest-state.ts';
import { normalizeRegionEdit } from './region-edit.ts';
import type { RegionEdit } from './region-edit.ts';
import { ShapeError, describeValue, expectInteger, expectRecord } from '../shape-check.ts';

/** The manifest file format this build writes and the highest it reads. */
export const manifestFormatVersion = 1;

/** The kinds of manifest file, as in the envelope's `kind`. */
export type ManifestFileKind = 'delta' | 'checkpoint' | 'pointer' | 'dropping';

/** Where a file was read from, and what its name says it holds: for checks and messages. */
export interface ManifestFileSource {
  path: string;
  storeName: string;
  /** The region the file must belong to, when the reader knows it. */
  regionId?: number;
  /** The version the file's name says it holds, when it has one. */
  version?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function bigintsAsStrings(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function encode(envelope: Record<string, unknown>): Uint8Array {
  const body = JSON.stringify(envelope, bigintsAsStrings);
  const checksum = crc32(encoder.encode(body));
  return encoder.encode(`${body.slice(0, -1)},"crc32":${checksum}}\n`);
}

/** The delta file of the edit that made `version`. `edit` should have passed `applyEdit`. */
export function encodeDelta(regionId: number, version: number, edit: RegionEdit): Uint8Array {
  return encode({ format: manifestFormatVersion, kind: 'delta', regionId, version, edit });
}

/** The checkpoint file of `state`. */
export function encodeCheckpoint(state: RegionManifestState): Uint8Array {
  const { regionId, version, files, ...rest } = state;
  return encode({
    format: manifestFormatVersion,
    kind: 'checkpoint',
    regionId,
    version,
    state: { ...rest, files: [...files.values()] },
  });
}

/** The `_last_checkpoint` file naming checkpoint `version`. */
export function encodePointer(regionId: number, version: number): Uint8Array {
  return encode({ format: manifestFormatVersion, kind: 'pointer', regionId, version });
}

/** The `_dropping` marker of a region whose drop began at manifest `version`. */
export function encodeDroppingMarker(regionId: number, version: number): Uint8Array {
  return encode({ format: manifestFormatVersion, kind: 'dropping', regionId, version });
}

/** `StorageCorrupted` naming the file, its store, and the region and version when known. */
export function manifestCorrupted(source: ManifestFileSource, problem: string, cause?: unknown): TesseraError {
  const region = source.regionId === undefined ? '' : ` of region ${source.regionId}`;
  const version = source.version === undefined ? '' : ` (version ${source.version})`;
  return new TesseraError(
    ErrorCode.StorageCorrupted,
    `Manifest file ${source.path}${region}${version} in ${source.storeName} is corrupted: ${problem}`,
    { cause },
  );
}

/** Parses and checks the envelope; returns it without `crc32`. */
function decodeEnvelope(
  bytes: Uint8Array,
  kind: ManifestFileKind,
  source: ManifestFileSource,
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw manifestCorrupted(source, `it is not valid UTF-8 JSON (${bytes.length} bytes)`, error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw manifestCorrupted(source, 'it is not a JSON object');
  }
  const { crc32: stored, ...rest } = parsed as Record<string, unknown>;
  if (typeof stored !== 'number') throw manifestCorrupted(source, 'it has no crc32 field');
  const actual = crc32(encoder.encode(JSON.stringify(rest)));
  if (actual !== stored) throw manifestCorrupted(source, `crc32 is ${actual}, but the file says ${stored}`);

  const format = rest.format;
  if (typeof format !== 'number' || !Number.isSafeInteger(format) || format < 1) {
    throw manifestCorrupted(source, `format ${describeValue(format)} is not a format version`);
  }
  if (format > manifestFormatVersion) {
    throw new TesseraError(
      ErrorCode.ManifestFormatUnsupported,
      `Manifest file ${source.path} in ${source.storeName} has format ${format}; this build reads up to ${manifestFormatVersion}`,
    );
  }
  if (rest.kind !== kind) throw manifestCorrupted(source, `it is a ${describeValue(rest.kind)} file, not a ${kind}`);
  if (typeof rest.regionId !== 'number' || !Number.isSafeInteger(rest.regionId) || rest.regionId < 0) {
    throw manifestCorrupted(source, `regionId ${describeValue(rest.regionId)} is not a region id`);
  }
  if (source.regionId !== undefined && rest.regionId !== source.regionId) {
    throw manifestCorrupted(source, `it belongs to region ${rest.regionId}`);
  }
  if (typeof rest.version !== 'number' || !Number.isSafeInteger(rest.version) || rest.version < 0) {
    throw manifestCorrupted(source, `version ${describeValue(rest.version)} is not a manifest version`);
  }
  if (source.version !== undefined && rest.version !== source.version) {
    throw manifestCorrupted(source, `it holds version ${rest.version}, but its name says ${source.version}`);
  }
  return rest;
}

/** Turns the decimal strings of `timeRange` back into bigints, in each file of `files`. */
function timeRangesToBigints(files: unknown, where: string): unknown {
  if (!Array.isArray(files)) return files;
  return files.map((file: unknown, i) => {
    if (typeof file !== 'object' || file === null || !('timeRange' in file)) return file;
    const range = (file as { timeRange: unknown }).timeRange;
    if (!Array.isArray(range)) return file;
    const timeRange = range.map((bound: unknown, j) => {
      if (typeof bound !== 'string' || !/^-?\d{1,20}$/.test(bound)) {
        throw new ShapeError(`${where}[${i}].timeRange[${j}] must be a decimal string, not ${describeValue(bound)}`);
      }
      return BigInt(bound);
    });
    return { ...file, timeRange };
  });
}

/** Reads a delta file; `source.version` and `source.regionId` are required (the name and the state say them). */
export function decodeDelta(bytes: Uint8Array, source: ManifestFileSource & { version: number }): RegionEdit {
  const envelope = decodeEnvelope(bytes, 'delta', source);
  try {
    const raw = expectRecord(envelope.edit, 'edit');
    const edit: Record<string, unknown> = { ...raw };
    if ('addFiles' in raw) edit.addFiles = timeRangesToBigints(raw.addFiles, 'edit.addFiles');
    return normalizeRegionEdit(edit);
  } catch (error) {
    if (error instanceof ShapeError) throw manifestCorrupted(source, error.message, error);
    throw error;
  }
}

/** Reads a checkpoint file; `source.version` is required (the name says it). */
export function decodeCheckpoint(
  bytes: Uint8Array,
  source: ManifestFileSource & { version: number },
): RegionManifestState {
  const envelope = decodeEnvelope(bytes, 'checkpoint', source);
  const withRegion = { ...source, regionId: envelope.regionId as number };
  try {
    const raw = expectRecord(envelope.state, 'state');
    if ('regionId' in raw || 'version' in raw) throw new ShapeError('state repeats regionId or version');
    return normalizeManifestState({
      ...raw,
      files: timeRangesToBigints(raw.files, 'state.files'),
      regionId: envelope.regionId,
      version: envelope.version,
    });
  } catch (error) {
    if (error instanceof ShapeError) throw manifestCorrupted(withRegion, error.message, error);
    throw error;
  }
}

/** Reads `_last_checkpoint` or `_dropping`: the region and version it names. */
export function decodeMarker(
  bytes: Uint8Array,
  kind: 'pointer' | 'dropping',
  source: ManifestFileSource,
): { regionId: number; version: number } {
  const envelope = decodeEnvelope(bytes, kind, source);
  try {
    return {
      regionId: expectInteger(envelope.regionId, 'regionId'),
      version: expectInteger(envelope.version, 'version'),
    };
  } catch (error) {
    if (error instanceof ShapeError) throw manifestCorrupted(source, error.message, error);
    throw error;
  }
}
