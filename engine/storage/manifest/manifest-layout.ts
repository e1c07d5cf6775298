/**
 * Where a region's manifest files live in the object store, under `<regionDir>/manifest/`:
 *
 *   00000000000000000007.json              delta: the edit that made version 7
 *   00000000000000000010.checkpoint.json   checkpoint: the whole state at version 10
 *   _last_checkpoint                       pointer: the version of the newest checkpoint
 *   _dropping                              marker: a drop began (see `RegionManifestManager.destroy`)
 *
 * Versions are zero-padded to 20 digits (any safe integer fits) so that the store's sorted
 * listing is version order. Names starting with '_' sort apart from the numbered files and are
 * valid object names on every store (names starting with '.' are not).
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';

/** The pointer's name inside the manifest directory. */
export const lastCheckpointName = '_last_checkpoint';
/** The drop marker's name inside the manifest directory. */
export const droppingMarkerName = '_dropping';

const versionDigits = 20;
const deltaPattern = /^(\d{20})\.json$/;
const checkpointPattern = /^(\d{20})\.checkpoint\.json$/;

/**
 * `<regionDir>/manifest`. `regionDir` is an object path without a trailing '/'; the store checks
 * the rest of its rules on every call. (Checked here rather than with the object store's
 * `checkObjectPath` so that this module takes only types from the object store, and loading it
 * does not load the S3 client.)
 */
export function manifestDirOf(regionDir: string, storeName: string): string {
  if (typeof regionDir !== 'string' || regionDir === '' || regionDir.startsWith('/') || regionDir.endsWith('/')) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Invalid region directory ${JSON.stringify(regionDir)} for ${storeName}: a relative object path without a trailing '/' is needed`,
    );
  }
  return `${regionDir}/manifest`;
}

function padded(version: number): string {
  return String(version).padStart(versionDigits, '0');
}

/** The delta file holding the edit that made `version`. */
export function deltaPath(manifestDir: string, version: number): string {
  return `${manifestDir}/${padded(version)}.json`;
}

/** The checkpoint file holding the whole state at `version`. */
export function checkpointPath(manifestDir: string, version: number): string {
  return `${manifestDir}/${padded(version)}.checkpoint.json`;
}

/** What one listed object of the manifest directory is. */
export type ManifestFile =
  | { kind: 'delta'; version: number; path: string }
  | { kind: 'checkpoint'; version: number; path: string }
  | { kind: 'pointer'; path: string }
  | { kind: 'dropping'; path: string }
  | { kind: 'other'; path: string };

/** Classifies `path`, an object listed under `<manifestDir>/`. */
export function classifyManifestFile(manifestDir: string, path: string): ManifestFile {
  const name = path.slice(manifestDir.length + 1);
  if (name === lastCheckpointName) return { kind: 'pointer', path };
  if (name === droppingMarkerName) return { kind: 'dropping', path };
  const delta = deltaPattern.exec(name);
  const checkpoint = delta ? null : checkpointPattern.exec(name);
  const version = Number((delta ?? checkpoint)?.[1]);
  // A 20-digit number past 2**53 is no version this code writes: leave it alone like any stranger.
  if (!Number.isSafeInteger(version)) return { kind: 'other', path };
  return delta ? { kind: 'delta', version, path } : { kind: 'checkpoint', version, path };
}
