/**
 * The child process of the WAL crash test (`wal-crash.test.ts`): opens the WAL and
 * appends as fast as it can until it is killed.
 *
 *   node --import tsx crash-writer.ts <dir> <seed base> <flushed json> <preallocate 0|1>
 *
 * `flushed json` is `{ "<region id>": <flushed entry id> }`, what the regions' manifests
 * would say; like a datanode opening its regions, the writer reports them to the WAL
 * (half at once, half a little later) before segments can be deleted. Several workers
 * append at once, so batches hold several entries. Lines on stdout (written with write(2)
 * before the next step, `writeLineSync`, so a line written is a line the parent reads even after
 * SIGKILL):
 *
 *   P <seed> <region>          an append is about to start; its payload is payloadFor(seed, …)
 *   A <entry id> <seed>        that append resolved: it is durable
 *   F <region> <entry id>      the region "recorded" a flush through entry id (said before markFlushed)
 *   ! <message>                something impossible happened (the parent fails the test)
 */

import { createLogger, writeLineSync } from '../../common/index.ts';
import { payloadFor } from './test-payload.ts';
import { Wal } from './wal.ts';

const workers = 8;
const regions = [11, 12, 13, 14];

function say(line: string): void {
  writeLineSync(line);
}

async function main(): Promise<void> {
  const [dir, seedBaseText, flushedText, preallocateText] = process.argv.slice(2);
  if (dir === undefined || seedBaseText === undefined || flushedText === undefined) {
    console.error('usage: crash-writer.ts <dir> <seed base> <flushed json> <preallocate 0|1>');
    process.exit(2);
  }
  const flushed = new Map(
    Object.entries(JSON.parse(flushedText) as Record<string, number>).map(([region, id]) => [Number(region), id]),
  );
  const wal = await Wal.open(dir, {
    segmentBytes: 96 * 1024,
    preallocate: preallocateText === '1',
    logger: createLogger({ role: 'crash-writer', level: 'warn' }),
  });
  const lateRegions: number[] = [];
  for (const [region, id] of flushed) {
    if (region % 2 === 0) await wal.markFlushed(region, id);
    else lateRegions.push(region);
  }

  let seed = Number(seedBaseText);
  let acks = 0;
  const latest = new Map<number, number>();
  const worker = async (index: number): Promise<never> => {
    for (let step = 0; ; step++) {
      const region = regions[(index + step) % regions.length];
      const mine = seed++;
      say(`P ${mine} ${region}`);
      const entryId = await wal.append(region, payloadFor(mine, 8 + (((mine * 2654435761) >>> 0) % 2500)));
      say(`A ${entryId} ${mine}`);
      latest.set(region, entryId);
      acks++;
      if (acks === 40) {
        for (const region of lateRegions) await wal.markFlushed(region, flushed.get(region)!);
      }
      if (acks % 150 === 0) {
        // A flush of one region through its latest durable entry: the manifest first, then the WAL.
        const flushedRegion = regions[(acks / 150) % regions.length];
        const through = latest.get(flushedRegion);
        if (through !== undefined) {
          say(`F ${flushedRegion} ${through}`);
          await wal.markFlushed(flushedRegion, through);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
}

main().catch((error: unknown) => {
  say(`! ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
