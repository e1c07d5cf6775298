/**
 * `RegionManifestManager`: a region's durable state in the object store, as an append-only log
 * of edits plus periodic checkpoints (DESIGN §4). One writer per region (the region's leader
 * datanode; the cluster's leases keep it single); any datanode sharing the store can open it.
 *
 * Writing (`update`), one edit at a time:
 *   1. `applyEdit` checks the edit against the state in memory (nothing written if it does not fit);
 *   2. the delta `<version>.json` is published (atomic write): this is the commit point;
 *   3. the state in memory moves to the new version, and the promise resolves (the ack);
 *   4. every `checkpointInterval` edits: publish `<version>.checkpoint.json`, then publish
 *      `_last_checkpoint` naming it, then delete deltas ≤ it and checkpoints < it (listing the
 *      directory, so leftovers of an earlier interrupted cleanup go too).
 * A failure in step 4 is logged and retried at the next edit: the edit is committed already.
 *
 * Opening: list the directory; read `_last_checkpoint`; read the checkpoint it names, or if the
 * pointer is missing or names a checkpoint that is gone, the newest listed checkpoint; then the
 * listed deltas above it, which must be consecutive. A delta after a missing version is
 * `StorageCorrupted` naming it (deltas are written in order and deleted only below a published
 * checkpoint, so a hole means a lost file, and skipping past or stopping before it would
 * silently lose or resurrect data). So is any damaged file that must be read.
 *
 * Why a crash (SIGKILL, power loss) at any point opens at the last committed state:
 *   - during 2: atomic publish leaves no delta or the whole one; no delta = not committed (and
 *     not acknowledged), the whole one = committed, which open replays.
 *   - between 2 and 3, or after: the delta is there, the state includes the edit (the caller
 *     may not have seen the ack; a committed-but-unacknowledged edit is the one permitted extra).
 *   - during or after the checkpoint write, before the pointer: the pointer still names the
 *     previous checkpoint, and every delta since it is still there (nothing is deleted before
 *     the pointer moves), so open replays to the same state. The new checkpoint is unused
 *     garbage until the next cleanup removes it.
 *   - after the pointer, during the deletions: the pointer names a checkpoint holding the whole
 *     state; open reads nothing at or below it, so which old files survive does not matter.
 *   - during `create`: no checkpoint (nothing there: `exists` is false), or checkpoint 0 without
 *     the pointer (open finds it by listing).
 * Each write is a whole object or nothing (the store's atomic publish), deletion never comes
 * before the publishes that make it safe, and reading never depends on a file being deleted.
 *
 * Dropping: `destroy` publishes `_dropping` first, then deletes the other manifest files. From
 * the marker on, `open` and `create` refuse with `ManifestDropped`, so a drop interrupted halfway
 * (some files deleted, some not) is detected instead of opening a partial manifest. The marker
 * stays until `finishDrop`, called after the region's other files (SSTs) are gone.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import type { ObjectStore } from '../object-store/index.ts';
import { applyEdit } from './apply-edit.ts';
import {
  decodeCheckpoint,
  decodeDelta,
  decodeMarker,
  encodeCheckpoint,
  encodeDelta,
  encodeDroppingMarker,
  encodePointer,
  manifestCorrupted,
} from './manifest-codec.ts';
import {
  checkpointPath,
  classifyManifestFile,
  deltaPath,
  droppingMarkerName,
  lastCheckpointName,
  manifestDirOf,
} from './manifest-layout.ts';
import type { ManifestFile } from './manifest-layout.ts';
import { initialManifestState } from './manifest-state.ts';
import type { InitialRegionState, RegionManifestState } from './manifest-state.ts';
import { normalizeRegionEdit } from './region-edit.ts';
import type { RegionEdit } from './region-edit.ts';
import { ShapeError } from '../shape-check.ts';

/** Options of `RegionManifestManager.create` and `.open`. */
export interface RegionManifestOptions {
  /** Write a checkpoint once this many edits have been made since the last one (default 10, at least 1). */
  checkpointInterval?: number;
  /** Gets warnings (stale pointer, failed checkpoint or cleanup) and debug events. */
  logger?: Logger;
}

/** The default `checkpointInterval`. */
export const defaultCheckpointInterval = 10;

/** How many times `open` starts over when the directory changed under it (a writer checkpointing meanwhile). */
const openAttempts = 5;
/** How many objects are read or deleted at once. */
const ioConcurrency = 8;

/** The manifest directory's listing, sorted out. */
interface ManifestListing {
  deltas: Extract<ManifestFile, { kind: 'delta' }>[];
  checkpoints: Extract<ManifestFile, { kind: 'checkpoint' }>[];
  pointer: boolean;
  dropping: boolean;
}

/** Thrown inside `open` when the listing and the reads disagree; `open` starts over or throws `final`. */
class ListingChanged extends Error {
  readonly final: TesseraError;
  constructor(final: TesseraError) {
    super(final.message);
    this.final = final;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof TesseraError && error.code === ErrorCode.ObjectNotFound;
}

async function forEachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(ioConcurrency, items.length) }, worker));
}

async function listManifest(store: ObjectStore, manifestDir: string): Promise<ManifestListing> {
  const listing: ManifestListing = { deltas: [], checkpoints: [], pointer: false, dropping: false };
  for (const entry of await store.list(`${manifestDir}/`)) {
    const file = classifyManifestFile(manifestDir, entry.path);
    if (file.kind === 'delta') listing.deltas.push(file);
    else if (file.kind === 'checkpoint') listing.checkpoints.push(file);
    else if (file.kind === 'pointer') listing.pointer = true;
    else if (file.kind === 'dropping') listing.dropping = true;
  }
  // Zero-padded names make the store's path order version order; sort anyway, it is cheap.
  listing.deltas.sort((a, b) => a.version - b.version);
  listing.checkpoints.sort((a, b) => a.version - b.version);
  return listing;
}

function hasManifest(listing: ManifestListing): boolean {
  return listing.pointer || listing.dropping || listing.deltas.length > 0 || listing.checkpoints.length > 0;
}

/** `ManifestDropped`, naming the region when the marker can be read. */
async function droppedError(store: ObjectStore, manifestDir: string): Promise<TesseraError> {
  const path = `${manifestDir}/${droppingMarkerName}`;
  let region = '';
  try {
    const marker = decodeMarker(await store.read(path), 'dropping', { path, storeName: store.name });
    region = ` of region ${marker.regionId} (dropped at manifest version ${marker.version})`;
  } catch {
    // The message loses the region id, nothing else: the marker's presence is what counts.
  }
  return new TesseraError(
    ErrorCode.ManifestDropped,
    `The manifest${region} in ${manifestDir} of ${store.name} carries the drop marker ${path}: ` +
      'a drop began and has not finished (RegionManifestManager.finishDrop completes it)',
  );
}

/** A region's manifest, open for reading its state and (as the region's one writer) for edits. */
export class RegionManifestManager {
  /** Where the manifest lives; not owned: closing the manager does not close it. */
  readonly store: ObjectStore;
  /** The region's directory in the store; the manifest is in `<regionDir>/manifest/`. */
  readonly regionDir: string;
  /** `<regionDir>/manifest`. */
  readonly manifestDir: string;
  private current: RegionManifestState;
  private checkpointVersion: number;
  private readonly checkpointInterval: number;
  private readonly logger: Logger | undefined;
  /** Updates, checkpoints, destroy and close run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed: 'closed' | 'destroyed' | undefined;
  /** Set when a delta write failed: it may or may not have landed, so memory may be behind the store. */
  private failedWrite: { version: number; path: string } | undefined;

  private constructor(
    store: ObjectStore,
    regionDir: string,
    manifestDir: string,
    state: RegionManifestState,
    checkpointVersion: number,
    options: RegionManifestOptions,
  ) {
    this.store = store;
    this.regionDir = regionDir;
    this.manifestDir = manifestDir;
    this.current = state;
    this.checkpointVersion = checkpointVersion;
    this.logger = options.logger?.child({ regionId: state.regionId });
    const interval = options.checkpointInterval ?? defaultCheckpointInterval;
    if (!Number.isSafeInteger(interval) || interval < 1) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid checkpointInterval ${interval} for the manifest of region ${state.regionId}: it must be an integer ≥ 1`,
      );
    }
    this.checkpointInterval = interval;
  }

  /**
   * Creates the manifest of a new region in `<regionDir>/manifest/` at version 0 (checkpoint 0
   * and the pointer). Throws `ManifestAlreadyExists` when any manifest file is there,
   * `ManifestDropped` when a drop marker is, `InvalidArguments` for a malformed `initialState`.
   */
  static async create(
    store: ObjectStore,
    regionDir: string,
    initialState: InitialRegionState,
    options: RegionManifestOptions = {},
  ): Promise<RegionManifestManager> {
    const manifestDir = manifestDirOf(regionDir, store.name);
    let state: RegionManifestState;
    try {
      state = initialManifestState(initialState);
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Cannot create the manifest of region ${String(initialState?.regionId)} in ${manifestDir}: ${error.message}`,
      );
    }
    const listing = await listManifest(store, manifestDir);
    if (listing.dropping) throw await droppedError(store, manifestDir);
    if (hasManifest(listing)) {
      const found = listing.checkpoints[0]?.path ?? listing.deltas[0]?.path ?? `${manifestDir}/${lastCheckpointName}`;
      throw new TesseraError(
        ErrorCode.ManifestAlreadyExists,
        `Cannot create the manifest of region ${state.regionId}: ${manifestDir} in ${store.name} already holds one (${found})`,
      );
    }
    const manager = new RegionManifestManager(store, regionDir, manifestDir, state, 0, options);
    // Checkpoint first: a crash before the pointer leaves a manifest that opens by listing.
    await store.write(checkpointPath(manifestDir, 0), encodeCheckpoint(state));
    await store.write(`${manifestDir}/${lastCheckpointName}`, encodePointer(state.regionId, 0));
    manager.logger?.debug('manifest.created', { manifestDir });
    return manager;
  }

  /**
   * Opens the manifest in `<regionDir>/manifest/` at its last committed version. Throws
   * `ManifestNotFound` when there is none, `ManifestDropped` when a drop began,
   * `StorageCorrupted` naming the file when a file it needs is damaged or a delta is missing,
   * `ManifestFormatUnsupported` for files from a newer build.
   */
  static async open(
    store: ObjectStore,
    regionDir: string,
    options: RegionManifestOptions = {},
  ): Promise<RegionManifestManager> {
    const manifestDir = manifestDirOf(regionDir, store.name);
    for (let attempt = 1; ; attempt++) {
      try {
        const { state, checkpointVersion } = await loadManifest(store, manifestDir, options.logger);
        const manager = new RegionManifestManager(store, regionDir, manifestDir, state, checkpointVersion, options);
        manager.logger?.debug('manifest.opened', { manifestDir, version: state.version, checkpointVersion });
        return manager;
      } catch (error) {
        if (!(error instanceof ListingChanged)) throw error;
        if (attempt >= openAttempts) throw error.final;
        options.logger?.debug('manifest.open-retry', { manifestDir, attempt, reason: error.message });
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }

  /** Whether `<regionDir>/manifest/` holds a manifest, or what is left of one being dropped. */
  static async exists(store: ObjectStore, regionDir: string): Promise<boolean> {
    return hasManifest(await listManifest(store, manifestDirOf(regionDir, store.name)));
  }

  /** Whether the region carries a drop marker: a drop began and `finishDrop` has not completed it. */
  static async isDropping(store: ObjectStore, regionDir: string): Promise<boolean> {
    const manifestDir = manifestDirOf(regionDir, store.name);
    return (await store.stat(`${manifestDir}/${droppingMarkerName}`)) !== undefined;
  }

  /**
   * Completes a drop begun by `destroy`: deletes what is left of the manifest, then the marker.
   * Call it after the region's other files are deleted. Harmless when nothing is there; throws
   * `InvalidArguments` when a manifest is there without a drop marker (a live region).
   */
  static async finishDrop(store: ObjectStore, regionDir: string): Promise<void> {
    const manifestDir = manifestDirOf(regionDir, store.name);
    const listing = await listManifest(store, manifestDir);
    if (!listing.dropping) {
      if (!hasManifest(listing)) return;
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Cannot finish dropping ${manifestDir} in ${store.name}: it has no drop marker, so it is a live manifest`,
      );
    }
    await deleteManifestFiles(store, manifestDir, listing);
    await store.delete(`${manifestDir}/${droppingMarkerName}`);
  }

  /** The state at the last committed version (read-only; a new object after each update). */
  get state(): RegionManifestState {
    return this.current;
  }

  /** The version of the newest checkpoint this manager knows is published (for statistics and tests). */
  get lastCheckpointVersion(): number {
    return this.checkpointVersion;
  }

  /**
   * Commits `edit` and resolves with the new version once its delta is durable in the store
   * (and, every `checkpointInterval` edits, after the checkpoint was attempted). Updates run
   * one at a time in call order. Throws `InvalidArguments` (nothing written) for an edit that
   * does not fit the state. When the write itself fails, whether it landed is unknown: the
   * error says so, and later updates throw `ManifestNeedsReopen` until the region is reopened.
   */
  update(edit: RegionEdit): Promise<number> {
    return this.enqueue(async () => {
      this.checkWritable();
      const state = this.current;
      const next = applyEdit(state, edit);
      const path = deltaPath(this.manifestDir, next.version);
      // applyEdit accepted the edit, so this cannot throw: it only copies it down to the fields its type has.
      const bytes = encodeDelta(state.regionId, next.version, normalizeRegionEdit(edit));
      try {
        await this.store.write(path, bytes);
      } catch (error) {
        this.failedWrite = { version: next.version, path };
        const cause = error instanceof TesseraError ? error : undefined;
        throw new TesseraError(
          cause?.code ?? ErrorCode.StorageUnavailable,
          `Cannot write manifest delta ${path} (version ${next.version}) of region ${state.regionId} to ` +
            `${this.store.name}: ${(error as Error).message}. Whether it landed is unknown; ` +
            'the manifest refuses updates until the region is reopened',
          { cause: error },
        );
      }
      this.current = next;
      if (next.version - this.checkpointVersion >= this.checkpointInterval) await this.checkpoint();
      return next.version;
    });
  }

  /**
   * Drops the manifest: publishes the `_dropping` marker, then deletes every other manifest
   * file. The marker stays (so `open`, `create` and `isDropping` see a drop in progress) until
   * `RegionManifestManager.finishDrop`, which the region engine calls once the SSTs are gone.
   * The manager is closed afterwards, whether or not the deletions succeeded.
   */
  destroy(): Promise<void> {
    return this.enqueue(async () => {
      this.checkOpen();
      this.closed = 'destroyed';
      const state = this.current;
      await this.store.write(
        `${this.manifestDir}/${droppingMarkerName}`,
        encodeDroppingMarker(state.regionId, state.version),
      );
      await deleteManifestFiles(this.store, this.manifestDir, await listManifest(this.store, this.manifestDir));
      this.logger?.info('manifest.dropped', { manifestDir: this.manifestDir, version: state.version });
    });
  }

  /** Waits for the update in progress, then refuses further ones. The store stays open. Idempotent. */
  close(): Promise<void> {
    return this.enqueue(async () => {
      this.closed ??= 'closed';
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private checkOpen(): void {
    if (this.closed !== undefined) {
      throw new TesseraError(
        ErrorCode.Unexpected,
        `The manifest of region ${this.current.regionId} in ${this.manifestDir} is ${this.closed}`,
      );
    }
  }

  private checkWritable(): void {
    this.checkOpen();
    if (this.failedWrite !== undefined) {
      throw new TesseraError(
        ErrorCode.ManifestNeedsReopen,
        `The manifest of region ${this.current.regionId} refuses updates: writing ${this.failedWrite.path} ` +
          `(version ${this.failedWrite.version}) failed and may have landed; reopen the region to read its state`,
      );
    }
  }

  /** Step 4 of the header: checkpoint, pointer, cleanup. Failures are logged, never thrown. */
  private async checkpoint(): Promise<void> {
    const state = this.current;
    const path = checkpointPath(this.manifestDir, state.version);
    try {
      await this.store.write(path, encodeCheckpoint(state));
      await this.store.write(`${this.manifestDir}/${lastCheckpointName}`, encodePointer(state.regionId, state.version));
    } catch (error) {
      this.logger?.warn('manifest.checkpoint-failed', { path, version: state.version, error });
      return;
    }
    this.checkpointVersion = state.version;
    this.logger?.debug('manifest.checkpoint', { path, version: state.version });
    try {
      const listing = await listManifest(this.store, this.manifestDir);
      const obsolete = [
        ...listing.deltas.filter((file) => file.version <= state.version),
        ...listing.checkpoints.filter((file) => file.version < state.version),
      ];
      await forEachLimited(obsolete, (file) => this.store.delete(file.path));
    } catch (error) {
      // Left-over files are ignored by open and deleted by the next checkpoint's cleanup.
      this.logger?.warn('manifest.cleanup-failed', { manifestDir: this.manifestDir, version: state.version, error });
    }
  }
}

/** Deletes the pointer, checkpoints and deltas listed (not the drop marker). */
async function deleteManifestFiles(store: ObjectStore, manifestDir: string, listing: ManifestListing): Promise<void> {
  const paths = [...listing.checkpoints, ...listing.deltas].map((file) => file.path);
  if (listing.pointer) paths.unshift(`${manifestDir}/${lastCheckpointName}`);
  await forEachLimited(paths, (path) => store.delete(path));
}

/** One attempt at reading the manifest; throws `ListingChanged` when a concurrent writer may explain what it saw. */
async function loadManifest(
  store: ObjectStore,
  manifestDir: string,
  logger: Logger | undefined,
): Promise<{ state: RegionManifestState; checkpointVersion: number }> {
  const listing = await listManifest(store, manifestDir);
  if (listing.dropping) throw await droppedError(store, manifestDir);
  if (!hasManifest(listing)) {
    throw new TesseraError(ErrorCode.ManifestNotFound, `No region manifest in ${manifestDir} of ${store.name}`);
  }

  let base: RegionManifestState | undefined;
  if (listing.pointer) {
    const pointerPath = `${manifestDir}/${lastCheckpointName}`;
    let bytes: Uint8Array | undefined;
    try {
      bytes = await store.read(pointerPath);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (bytes !== undefined) {
      const pointer = decodeMarker(bytes, 'pointer', { path: pointerPath, storeName: store.name });
      const path = checkpointPath(manifestDir, pointer.version);
      try {
        const checkpoint = await store.read(path);
        base = decodeCheckpoint(checkpoint, {
          path,
          storeName: store.name,
          regionId: pointer.regionId,
          version: pointer.version,
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        logger?.warn('manifest.stale-pointer', { manifestDir, pointerVersion: pointer.version });
      }
    }
  } else {
    logger?.warn('manifest.no-pointer', { manifestDir });
  }
  if (base === undefined) {
    const newest = listing.checkpoints.at(-1);
    if (newest === undefined) {
      const first = listing.deltas[0]?.path ?? `${manifestDir}/${lastCheckpointName}`;
      throw new ListingChanged(
        manifestCorrupted(
          { path: first, storeName: store.name },
          `${manifestDir} holds no checkpoint to start from (${listing.deltas.length} deltas)`,
        ),
      );
    }
    try {
      base = decodeCheckpoint(await store.read(newest.path), {
        path: newest.path,
        storeName: store.name,
        version: newest.version,
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      throw new ListingChanged(manifestCorrupted({ path: newest.path, storeName: store.name }, 'it vanished', error));
    }
  }

  const after = listing.deltas.filter((file) => file.version > base.version);
  const consecutive = after.filter((file, i) => file.version === base.version + 1 + i);
  if (consecutive.length < after.length) {
    const stray = after[consecutive.length]!;
    const missing = base.version + 1 + consecutive.length;
    throw new ListingChanged(
      manifestCorrupted(
        { path: stray.path, storeName: store.name, regionId: base.regionId, version: stray.version },
        `delta ${deltaPath(manifestDir, missing)} (version ${missing}) before it is missing, ` +
          `so the edits from version ${missing} on cannot be replayed`,
      ),
    );
  }

  const contents = new Array<Uint8Array>(consecutive.length);
  await forEachLimited(
    consecutive.map((file, i) => ({ file, i })),
    async ({ file, i }) => {
      try {
        contents[i] = await store.read(file.path);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        throw new ListingChanged(
          manifestCorrupted(
            { path: file.path, storeName: store.name, regionId: base.regionId, version: file.version },
            'it was listed but vanished before it was read',
            error,
          ),
        );
      }
    },
  );
  let state = base;
  consecutive.forEach((file, i) => {
    const source = { path: file.path, storeName: store.name, regionId: base.regionId, version: file.version };
    const edit = decodeDelta(contents[i]!, source);
    try {
      state = applyEdit(state, edit);
    } catch (error) {
      if (!(error instanceof TesseraError) || error.code !== ErrorCode.InvalidArguments) throw error;
      throw manifestCorrupted(source, `its edit does not apply: ${error.message}`, error);
    }
  });
  return { state, checkpointVersion: base.version };
}
