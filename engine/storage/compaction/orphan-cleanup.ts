/**
 * Orphan SSTs: a crash between writing an SST and committing the manifest edit that lists it
 * (flush or compaction), or a failed deletion, leaves an object in data/ that nothing refers
 * to. At open, files not in the manifest are deleted once older than a grace period (their
 * UUID v7 id carries the creation time): a younger one may belong to another datanode still
 * publishing it (during a migration both may run for a moment).
 */

import type { EngineContext } from '../region/engine-context.ts';
import type { Region } from '../region/region.ts';
import { dataDirOf, fileIdCreatedAt, fileIdOfPath } from '../region/region-layout.ts';

/** Deletes the region's orphan SSTs; returns how many. */
export async function cleanOrphanFiles(context: EngineContext, region: Region): Promise<number> {
  const listing = await context.store.list(dataDirOf(region.regionDir));
  const now = context.settings.now();
  let deleted = 0;
  await region.queue.run(async () => {
    if (region.phase !== 'open') return;
    const live = region.state.files;
    for (const entry of listing) {
      const fileId = fileIdOfPath(entry.path);
      if (fileId === undefined || live.has(fileId)) continue;
      const createdAt = fileIdCreatedAt(fileId);
      if (createdAt === undefined || now - createdAt < context.settings.orphanGraceMs) continue;
      await context.store.delete(entry.path);
      deleted++;
    }
  });
  if (deleted > 0) region.logger.info('storage.orphans-deleted', { files: deleted });
  return deleted;
}
