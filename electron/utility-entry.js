// First module of every Electron utility process the shell starts (see
// utility-process-launcher.ts). Arguments: `--tessera-entry ENTRY ARGS...`. It loads tsx so
// the TypeScript entry can run, gives that entry the `process.send` of a forked Node child
// (posting to the parent over `process.parentPort`), puts ENTRY ARGS... where the entry's
// argument parser looks (process.argv[2...]), and imports ENTRY. No 'disconnect' is needed
// for orphan safety: Electron ends its utility processes when the app's main process goes.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';

const marker = process.argv.indexOf('--tessera-entry');
const entry = marker === -1 ? undefined : process.argv[marker + 1];
if (!entry) {
  process.stderr.write('utility-entry: expected --tessera-entry ENTRY [ARGS...]\n');
  process.exit(2);
}
const entryArgs = process.argv.slice(marker + 2);
process.argv = [process.execPath, entry, ...entryArgs];

const port = process.parentPort;
if (port) {
  process.send = (message, ...rest) => {
    port.postMessage(message);
    const callback = rest.find((value) => typeof value === 'function');
    if (callback) queueMicrotask(() => callback(null));
    return true;
  };
}

register();
await import(pathToFileURL(entry).href);
