/**
 * The child process of the crash test (`embedded-kv-crash.test.ts`): opens the embedded
 * store and writes as fast as it can until it is killed.
 *
 *   node --import tsx crash-writer.ts <dir> <run id> [compaction min bytes]
 *
 * Several workers run at once (so batches group several writes), each on its own keys,
 * one operation at a time per key. Each operation is announced on stdout before it starts
 * and acknowledged after its promise resolved, each line by write(2) before the next step
 * (`writeLineSync`), so a line written is a line the parent will read even after SIGKILL:
 *
 *   > P <key> <value>     put starting          < P <key>   put durable
 *   > C <key> <value>     compareAndPut starting < C <key>   it wrote
 *   > D <key>             delete starting        < D <key>   deleted
 *   ! <message>           something impossible happened (the parent fails the test)
 *
 * Values are printable ASCII without spaces, so a line carries them whole.
 */

import { createLogger, writeLineSync } from '../../common/index.ts';
import { EmbeddedKvBackend } from './embedded-kv.ts';

const workers = 8;

function say(line: string): void {
  writeLineSync(line);
}

function valueFor(key: string, step: number): string {
  return `${key}|${step}|${'x'.repeat(Math.floor(Math.random() * 600))}`;
}

async function runWorker(kv: EmbeddedKvBackend, run: string, worker: number): Promise<never> {
  const encoder = new TextEncoder();
  const counterKey = `c/${run}/${worker}`;
  let counter: Uint8Array | undefined;
  for (let step = 0; ; step++) {
    // Every step moves a counter with compareAndPut: overwrites make garbage, so compaction runs.
    const next = valueFor(counterKey, step);
    say(`> C ${counterKey} ${next}`);
    const nextBytes = encoder.encode(next);
    if (!(await kv.compareAndPut(counterKey, counter, nextBytes))) {
      say(`! compareAndPut on ${counterKey} at step ${step} lost to nobody`);
      process.exit(1);
    }
    counter = nextBytes;
    say(`< C ${counterKey}`);

    if (step % 2 === 0) {
      const key = `p/${run}/${worker}/${step}`;
      const value = valueFor(key, step);
      say(`> P ${key} ${value}`);
      await kv.put(key, encoder.encode(value));
      say(`< P ${key}`);
    }
    if (step % 6 === 5) {
      const key = `p/${run}/${worker}/${step - 5}`;
      say(`> D ${key}`);
      if (!(await kv.delete(key))) {
        say(`! delete of ${key} found nothing, but its put was acknowledged`);
        process.exit(1);
      }
      say(`< D ${key}`);
    }
  }
}

async function main(): Promise<void> {
  const [dir, run, minBytes] = process.argv.slice(2);
  if (dir === undefined || run === undefined) {
    console.error('usage: crash-writer.ts <dir> <run id> [compaction min bytes]');
    process.exit(2);
  }
  const kv = await EmbeddedKvBackend.open(dir, {
    logger: createLogger({ role: 'crash-writer', level: 'info' }),
    compactionMinBytes: minBytes === undefined ? undefined : Number(minBytes),
    compactionRatio: 1.5,
  });
  await Promise.all(Array.from({ length: workers }, (_, worker) => runWorker(kv, run, worker)));
}

main().catch((error: unknown) => {
  say(`! ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
