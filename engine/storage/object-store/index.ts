/**
 * The object store region files (manifests, SSTs) live in: the `ObjectStore` contract, a
 * local-directory and an S3 implementation, a local read cache in front of either, and
 * `openObjectStore` to pick one from a URL. See README.md for the map. Test helpers
 * (`s3-test-server.ts`, `object-store-conformance.ts`) are imported by path, not from here.
 */

export type { ObjectEntry, ObjectStat, ObjectStore } from './object-store.ts';
export { checkListPrefix, checkObjectPath } from './object-path.ts';
export { LocalObjectStore } from './local-object-store.ts';
export type { LocalObjectStoreOptions } from './local-object-store.ts';
export type { S3ObjectStoreOptions } from './s3-object-store.ts';
export { defaultS3RetryPolicy } from './s3-retry.ts';
export type { S3RetryPolicy } from './s3-retry.ts';
export { CachedObjectStore } from './cached-object-store.ts';
export type { CachedObjectStoreOptions, ObjectCacheStats } from './cached-object-store.ts';
export { openObjectStore } from './open-object-store.ts';
export type { OpenObjectStoreOptions, S3Credentials } from './open-object-store.ts';
