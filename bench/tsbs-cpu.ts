/**
 * The TSBS cpu-only data set the storage benchmarks share (memtable, sst, storage): the `cpu`
 * table as a region schema, the seeded random numbers, and each host's ten tag values. Every
 * bench draws from the same generator with the same seeds, so "host_42" has the same tags in all
 * of them; each bench still lays rows out as the path it measures receives them (time order for
 * writes, series order for a flush), so that part stays in the bench.
 */

import type { RegionSchema } from '../engine/storage/region-schema.ts';

/** The ten tag columns, in primary-key order. */
export const tsbsTagNames = [
  'hostname',
  'region',
  'datacenter',
  'rack',
  'os',
  'arch',
  'team',
  'service',
  'service_version',
  'service_environment',
] as const;

/** The ten field columns (integer values in 0..100). */
export const tsbsFieldNames = [
  'usage_user',
  'usage_system',
  'usage_idle',
  'usage_nice',
  'usage_iowait',
  'usage_irq',
  'usage_softirq',
  'usage_steal',
  'usage_guest',
  'usage_guest_nice',
] as const;

/**
 * The TSBS `cpu` table as a region: string tags (the primary key, column ids 0..9), `ts` in
 * milliseconds (id 10), then the fields as `fieldKind` (ids 11..20).
 */
export function tsbsCpuSchema(fieldKind: 'int64' | 'float64'): RegionSchema {
  return {
    version: 1,
    columns: [
      ...tsbsTagNames.map((name, i) => ({
        name,
        type: { kind: 'string' as const },
        semantic: 'tag' as const,
        nullable: true,
        columnId: i,
      })),
      { name: 'ts', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 10 },
      ...tsbsFieldNames.map((name, i) => ({
        name,
        type: { kind: fieldKind },
        semantic: 'field' as const,
        nullable: true,
        columnId: 11 + i,
      })),
    ],
  };
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const regions = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
];

/**
 * Per host `host_<h>` (h = 0 … hosts - 1, in that order), its ten tag values as `tsbsTagNames`
 * orders them, picked at random from small sets as TSBS does. Draws 10 numbers per host from
 * `next`, so a caller that goes on drawing from it (random walks) gets the same stream each run.
 */
export function tsbsHostTags(hosts: number, next: () => number): string[][] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  return Array.from({ length: hosts }, (_, h) => {
    const region = pick(regions);
    return [
      `host_${h}`,
      region,
      `${region}${pick(['a', 'b', 'c'])}`,
      String(Math.floor(next() * 100)),
      pick(['Ubuntu16.10', 'Ubuntu16.04LTS', 'Ubuntu15.10']),
      pick(['x64', 'x86']),
      pick(['SF', 'NYC', 'LON', 'CHI']),
      String(Math.floor(next() * 20)),
      String(Math.floor(next() * 2)),
      pick(['production', 'staging', 'test']),
    ];
  });
}
