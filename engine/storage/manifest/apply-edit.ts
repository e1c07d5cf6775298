/**
 * `applyEdit`: the one place that says what an edit does to a region's state. Pure, so the
 * writer (before it publishes a delta), the opener (replaying deltas) and the tests all agree.
 * It refuses edits that do not fit the state (adding a live file, removing a dead one, moving
 * the flushed marks back, an alter that does not raise the schema version): such an edit is a
 * bug in its caller, and publishing it would make every later open fail.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { FileMeta } from './file-meta.ts';
import type { RegionManifestState } from './manifest-state.ts';
import { normalizeRegionEdit } from './region-edit.ts';
import type { RegionEdit } from './region-edit.ts';
import { ShapeError } from '../shape-check.ts';

type MutableState = { -readonly [K in keyof RegionManifestState]: RegionManifestState[K] };

/**
 * The state after `edit`, at `state.version + 1`. Neither argument is changed; unchanged parts
 * (schema, file metadata objects) are shared with `state`. Throws `InvalidArguments` naming the
 * region, the manifest version and what does not fit.
 */
export function applyEdit(state: RegionManifestState, edit: RegionEdit): RegionManifestState {
  const reject = (problem: string): TesseraError =>
    new TesseraError(
      ErrorCode.InvalidArguments,
      `Region ${state.regionId}: ${String(edit?.type)} edit ${problem} (manifest version ${state.version})`,
    );
  let checked: RegionEdit;
  try {
    checked = normalizeRegionEdit(edit);
  } catch (error) {
    if (error instanceof ShapeError) throw reject(`is malformed: ${error.message}`);
    throw error;
  }

  const next: MutableState = { ...state, version: state.version + 1 };
  switch (checked.type) {
    case 'flush': {
      if (checked.flushedEntryId < state.flushedEntryId) {
        throw reject(`moves flushedEntryId back from ${state.flushedEntryId} to ${checked.flushedEntryId}`);
      }
      if (checked.flushedSequence < state.flushedSequence) {
        throw reject(`moves flushedSequence back from ${state.flushedSequence} to ${checked.flushedSequence}`);
      }
      next.files = withFiles(state.files, checked.addFiles, [], reject);
      next.flushedEntryId = checked.flushedEntryId;
      next.flushedSequence = checked.flushedSequence;
      break;
    }
    case 'compaction':
      next.files = withFiles(state.files, checked.addFiles, checked.removeFiles, reject);
      break;
    case 'ttl':
      next.files = withFiles(state.files, [], checked.removeFiles, reject);
      break;
    case 'alter':
      if (checked.schema.version <= state.schema.version) {
        throw reject(`has schema version ${checked.schema.version}, not above the current ${state.schema.version}`);
      }
      next.schema = checked.schema;
      break;
    case 'options':
      next.options = checked.options;
      break;
    case 'truncate': {
      if (checked.entryId < (state.truncatedEntryId ?? 0)) {
        throw reject(
          `truncates through entry ${checked.entryId}, below the previous truncate's ${state.truncatedEntryId}`,
        );
      }
      if (checked.sequence < (state.truncatedSequence ?? 0)) {
        throw reject(
          `truncates through sequence ${checked.sequence}, below the previous truncate's ${state.truncatedSequence}`,
        );
      }
      next.files = new Map();
      next.truncatedEntryId = checked.entryId;
      next.truncatedSequence = checked.sequence;
      // Only the latest truncate counts: one without an id clears an older id.
      if (checked.truncateId === undefined) delete next.lastTruncateId;
      else next.lastTruncateId = checked.truncateId;
      // Replay must not bring back what was truncated, and new rows must sort after it.
      next.flushedEntryId = Math.max(state.flushedEntryId, checked.entryId);
      next.flushedSequence = Math.max(state.flushedSequence, checked.sequence);
      break;
    }
    default:
      checked satisfies never;
  }
  return next;
}

/** `files` minus `remove` plus `add`, keeping insertion order; every removed id must be live, every added one new. */
function withFiles(
  files: ReadonlyMap<string, FileMeta>,
  add: readonly FileMeta[],
  remove: readonly string[],
  reject: (problem: string) => TesseraError,
): Map<string, FileMeta> {
  const next = new Map(files);
  for (const fileId of remove) {
    if (!files.has(fileId)) throw reject(`removes file ${fileId}, which is not live`);
    if (!next.delete(fileId)) throw reject(`removes file ${fileId} twice`);
  }
  for (const file of add) {
    if (files.has(file.fileId)) throw reject(`adds file ${file.fileId}, which is already live`);
    if (next.has(file.fileId)) throw reject(`adds file ${file.fileId} twice`);
    next.set(file.fileId, file);
  }
  return next;
}
