/** How a region's options choose the merge of its rows (engine/storage/merge). */

import type { RegionOptions } from '../manifest/index.ts';
import type { MergeMode } from '../merge/index.ts';

/** `append` for append-mode regions (every row kept), else the `merge_mode` option. */
export function mergeModeOf(options: RegionOptions): MergeMode {
  return options.appendMode ? 'append' : options.mergeMode;
}
