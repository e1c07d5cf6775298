/**
 * The contract every object store keeps (DESIGN §4): region files (manifests, SSTs) live
 * behind it so that datanodes sharing one store can open each other's regions. It is the
 * smallest surface S3 and a local directory both do well: whole and ranged reads, size,
 * whole-object writes that publish atomically, recursive listing, and delete. There is no
 * append, rename or partial write: S3 has none, so the engine must not lean on them.
 *
 * Paths are relative, '/'-separated keys (`regions/4398046511104/sst/0f3a.parquet`); see
 * `object-path.ts` for the rules. All byte arrays handed out are the caller's to keep.
 */

/** An object's metadata, as `stat` sees it. */
export interface ObjectStat {
  /** Size in bytes. */
  size: number;
}

/** One object found by `list`. */
export interface ObjectEntry {
  /** The object's path, relative to the store (never to its bucket prefix or directory). */
  path: string;
  /** Size in bytes. */
  size: number;
}

/** Where region files live: a local directory, an S3 bucket, or a cache in front of either. */
export interface ObjectStore {
  /** Where the store points, for messages and logs: `file:///data/shared`, `s3://bucket/prefix`. */
  readonly name: string;

  /** The whole object. Throws `ObjectNotFound` naming the path and the store when absent. */
  read(path: string): Promise<Uint8Array>;

  /**
   * `length` bytes starting at byte `offset` (both non-negative integers). Only explicit ranges:
   * to read a footer, `stat` first and ask for `[size - n, size)`. Throws `ObjectNotFound` when
   * absent and `ObjectRangeOutOfBounds` (naming the size) when the range ends past the object.
   */
  readRange(path: string, offset: number, length: number): Promise<Uint8Array>;

  /** The object's size, or undefined when there is no object at the path. */
  stat(path: string): Promise<ObjectStat | undefined>;

  /**
   * Creates or replaces the object. Atomic publish: a concurrent or later reader sees the old
   * object or the whole new one, never part of it. Durable once the promise resolves.
   */
  write(path: string, data: Uint8Array): Promise<void>;

  /**
   * Every object whose path starts with `prefix` (a plain string prefix, as in S3: 'a/' lists
   * `a/x` and `a/b/c` but not `ab/c`; 'a' lists both), at any depth, sorted by path in
   * JavaScript string order. '' lists the whole store.
   */
  list(prefix: string): Promise<ObjectEntry[]>;

  /** Removes the object; removing an absent object is not an error. */
  delete(path: string): Promise<void>;

  /** Releases connections and handles. Later calls reject; calling close again is harmless. */
  close(): Promise<void>;
}
