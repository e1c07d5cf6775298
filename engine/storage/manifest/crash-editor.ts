/**
 * The child process of the manifest crash test (`manifest-crash.test.ts`): opens the region's
 * manifest (creating it on the first run) and commits `nextTestEdit` edits as fast as it can
 * until it is killed.
 *
 *   node --import tsx crash-editor.ts <store dir> <region dir> <checkpoint interval>
 *
 * Lines on stdout (`writeLineSync`: written by write(2) before the next step, so a line written is
 * a line the parent reads even after SIGKILL):
 *
 *   S              about to create or open (the parent may kill from here on)
 *   O <version>    created (version 0) or opened at <version>: acknowledged
 *   W <path>       about to write (publish) the object, so the parent can aim a kill at it
 *   D <path>       about to delete the object
 *   A <version>    `update` resolved with <version>: acknowledged
 *   ! <message>    something failed (the parent fails the test)
 */

import { writeLineSync } from '../../common/index.ts';
import { LocalObjectStore } from '../object-store/index.ts';
import type { ObjectStore } from '../object-store/index.ts';
import { nextTestEdit, testInitialState } from './manifest-test-fixtures.ts';
import { RegionManifestManager } from './region-manifest-manager.ts';

function say(line: string): void {
  writeLineSync(line);
}

async function main(): Promise<void> {
  const [storeDir, regionDir, intervalText] = process.argv.slice(2);
  if (storeDir === undefined || regionDir === undefined || intervalText === undefined) {
    console.error('usage: crash-editor.ts <store dir> <region dir> <checkpoint interval>');
    process.exit(2);
  }
  // fsync stays on: the kill then lands inside fsyncs and renames as well as between them.
  const local = await LocalObjectStore.open(storeDir);
  // The same store, announcing each write and delete before it starts.
  const store: ObjectStore = {
    name: local.name,
    read: (path) => local.read(path),
    readRange: (path, offset, length) => local.readRange(path, offset, length),
    stat: (path) => local.stat(path),
    list: (prefix) => local.list(prefix),
    close: () => local.close(),
    write: (path, data) => {
      say(`W ${path}`);
      return local.write(path, data);
    },
    delete: (path) => {
      say(`D ${path}`);
      return local.delete(path);
    },
  };
  const options = { checkpointInterval: Number(intervalText) };
  say('S');
  const manager = (await RegionManifestManager.exists(store, regionDir))
    ? await RegionManifestManager.open(store, regionDir, options)
    : await RegionManifestManager.create(store, regionDir, testInitialState(), options);
  say(`O ${manager.state.version}`);
  for (;;) {
    const version = await manager.update(nextTestEdit(manager.state));
    say(`A ${version}`);
  }
}

main().catch((error: unknown) => {
  say(`! ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
