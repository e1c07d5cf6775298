/**
 * Shared by the manifest tests and the crash test's child: a region schema, deterministic file
 * metadata, and `nextTestEdit`, a pure function of the state that picks the next edit. Because
 * it depends only on the state, the crash test's parent can recompute the state at any version
 * (`testStateAt`) and compare it with what a reopened manifest holds.
 */

import { createHash } from 'node:crypto';
import { makeRegionId } from '../region-schema.ts';
import type { ColumnSchema, RegionSchema } from '../region-schema.ts';
import { applyEdit } from './apply-edit.ts';
import type { FileMeta } from './file-meta.ts';
import { initialManifestState } from './manifest-state.ts';
import type { InitialRegionState, RegionManifestState } from './manifest-state.ts';
import type { RegionEdit } from './region-edit.ts';

/** The test region: table 1024, region 3. */
export const testRegionId = makeRegionId(1024, 3);

/** A cpu-like schema: tags host and dc, a nanosecond time index, `fields` float fields. */
export function testSchema(version = 0, fields = 2): RegionSchema {
  const columns: ColumnSchema[] = [
    { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 0 },
    { name: 'dc', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 1 },
    { name: 'ts', type: { kind: 'timestamp', unit: 'ns' }, semantic: 'timestamp', nullable: false, columnId: 2 },
  ];
  for (let i = 0; i < fields; i++) {
    columns.push({ name: `usage_${i}`, type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 3 + i });
  }
  return { columns, version };
}

/** A UUID (version 4 layout) derived from `seed`: the same seed always gives the same id. */
export function testFileId(seed: string | number): string {
  const hex = createHash('sha256').update(String(seed)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A file whose numbers derive from `seed`; times are nanoseconds past 2**53, so rounding would show. */
export function testFile(seed: number, overrides: Partial<FileMeta> = {}): FileMeta {
  const start = 1_700_000_000_000_000_000n + BigInt(seed) * 60_000_000_001n;
  return {
    fileId: testFileId(seed),
    level: 0,
    timeRange: [start, start + 59_999_999_999n],
    rows: 1000 + seed,
    sizeBytes: 40_000 + seed * 7,
    rowGroups: 1 + (seed % 3),
    schemaVersion: 0,
    sequenceRange: [seed * 1000, seed * 1000 + 999],
    ...overrides,
  };
}

/** The test region's initial state. */
export function testInitialState(): InitialRegionState {
  return { regionId: testRegionId, schema: testSchema() };
}

/** A small deterministic hash of a version, to vary edits. */
function mix(version: number): number {
  let x = (version * 2654435761) >>> 0;
  x ^= x >>> 15;
  return Math.imul(x, 2246822519) >>> 0;
}

/**
 * The edit the crash test makes at `state.version + 1`: mostly flushes, then compactions, TTL
 * drops, alters, option changes and the odd truncate, each valid for `state`.
 */
export function nextTestEdit(state: RegionManifestState): RegionEdit {
  const version = state.version + 1;
  const roll = mix(version);
  const live = [...state.files.values()];
  if (version % 29 === 0) {
    return { type: 'truncate', entryId: state.flushedEntryId + 3, sequence: state.flushedSequence + 30 };
  }
  switch (roll % 10) {
    case 5:
    case 6:
      if (live.length >= 2) {
        const [a, b] = live as [FileMeta, FileMeta];
        const min = a.timeRange[0] < b.timeRange[0] ? a.timeRange[0] : b.timeRange[0];
        const max = a.timeRange[1] > b.timeRange[1] ? a.timeRange[1] : b.timeRange[1];
        return {
          type: 'compaction',
          removeFiles: [a.fileId, b.fileId],
          addFiles: [
            testFile(version * 10, {
              level: Math.min(Math.max(a.level, b.level) + 1, 3),
              timeRange: [min, max],
              rows: a.rows + b.rows,
              schemaVersion: state.schema.version,
            }),
          ],
        };
      }
      break;
    case 7:
      if (live.length >= 1) return { type: 'ttl', removeFiles: [live[0]!.fileId] };
      break;
    case 8: {
      // Add a field, or drop the last one once there are four: the schema stays small.
      const fields = state.schema.columns.length - 3;
      return { type: 'alter', schema: testSchema(state.schema.version + 1, fields >= 4 ? fields - 1 : fields + 1) };
    }
    case 9:
      return {
        type: 'options',
        options:
          state.options.ttlMs === undefined
            ? { appendMode: false, mergeMode: 'last_non_null', ttlMs: 86_400_000 * (1 + (roll % 30)) }
            : { appendMode: true, mergeMode: 'last_row', writeBufferBytes: 1 << (20 + (roll % 6)) },
      };
  }
  const count = 1 + (roll % 2);
  return {
    type: 'flush',
    addFiles: Array.from({ length: count }, (_, i) =>
      testFile(version * 10 + i, { schemaVersion: state.schema.version }),
    ),
    flushedEntryId: state.flushedEntryId + 1 + (roll % 5),
    flushedSequence: state.flushedSequence + 10 + (roll % 50),
  };
}

/** States of the test region at versions 0, 1, 2, ... under `nextTestEdit`, computed once and kept. */
const statesByVersion: RegionManifestState[] = [];

/** The test region's state at `version` when every edit came from `nextTestEdit`. */
export function testStateAt(version: number): RegionManifestState {
  if (statesByVersion.length === 0) statesByVersion.push(initialManifestState(testInitialState()));
  while (statesByVersion.length <= version) {
    const last = statesByVersion.at(-1)!;
    statesByVersion.push(applyEdit(last, nextTestEdit(last)));
  }
  return statesByVersion[version]!;
}
