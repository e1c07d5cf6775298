/**
 * TTL expiry: SSTs whose newest row is older than now − ttl are dropped from the manifest by
 * one `ttl` edit and deleted once no scan reads them. Files only partly expired stay; scans
 * never read their expired rows (the TTL bounds the scan's time range) and a compaction that
 * rewrites them leaves those rows out.
 */

import type { EngineContext } from '../region/engine-context.ts';
import type { Region } from '../region/region.ts';
import { ttlCutoff } from '../region/scan-region.ts';
import type { TimeUnit } from '../region-schema.ts';

/** Removes wholly expired files; returns how many. Runs inside the region's queue. */
export async function expireFiles(context: EngineContext, region: Region): Promise<number> {
  return region.queue.run(async () => {
    if (region.phase !== 'open') return 0;
    const timeIndex = region.schema.columns.find((c) => c.semantic === 'timestamp')!;
    const cutoff = ttlCutoff(region.options.ttlMs, (timeIndex.type as { unit: TimeUnit }).unit, context.settings.now());
    if (cutoff === undefined) return 0;
    const expired = [...region.state.files.values()].filter((f) => f.timeRange[1] < cutoff).map((f) => f.fileId);
    if (expired.length === 0) return 0;
    await region.manifest.update({ type: 'ttl', removeFiles: expired });
    for (const fileId of expired) region.sstMetas.delete(fileId);
    region.files.remove(expired);
    region.logger.info('storage.ttl-expired', { files: expired.length });
    return expired.length;
  });
}
