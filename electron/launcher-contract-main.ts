/**
 * Runs the `ProcessLauncher` contract (engine/cluster/testing) against the utility-process
 * launcher, inside Electron, where node:test cannot host a main process:
 *   npm start -- --launcher-contract
 * prints one TAP-like line per case and exits non-zero if any failed. Under plain Node the
 * same cases run against the Node launcher in engine/cluster/process-launcher.test.ts.
 */
import { app, utilityProcess } from 'electron';
import { processLauncherContract } from '../engine/cluster/index.ts';
import { UtilityProcessLauncher } from './utility-process-launcher.ts';

await app.whenReady();
const cases = processLauncherContract(
  () => new UtilityProcessLauncher((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)),
);
let failed = 0;
process.stdout.write(`1..${cases.length}\n`);
for (const [position, contractCase] of cases.entries()) {
  try {
    await contractCase.run();
    process.stdout.write(`ok ${position + 1} - ${contractCase.name}\n`);
  } catch (error) {
    failed += 1;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stdout.write(`not ok ${position + 1} - ${contractCase.name}\n  ${detail.replace(/\n/g, '\n  ')}\n`);
  }
}
process.stdout.write(`# ${cases.length - failed} passed, ${failed} failed (launcher: utility)\n`);
app.exit(failed === 0 ? 0 : 1);
