/**
 * Which `ProcessLauncher` starts the datanodes. Inside Electron it is the utility-process
 * launcher: Electron's supported way to run Node work off the main process, tied to the
 * app's lifetime, and it needs no separate Node on the user's machine (a packaged app has
 * none). Under plain Node (tests, `tessera serve`) it is `child_process.fork`. The
 * environment variable TESSERA_DATANODE_LAUNCHER=node|utility overrides the choice, e.g.
 * to compare the two inside Electron.
 */
import { ErrorCode, TesseraError } from '../engine/common/index.ts';
import type { ProcessLauncher } from '../engine/cluster/index.ts';

export type LauncherKind = 'utility' | 'node';

export interface LauncherRuntime {
  /** `process.versions.electron`: undefined under plain Node. */
  electronVersion: string | undefined;
  /** Whether Electron's `utilityProcess` can be used (main process, app ready). */
  utilityProcessAvailable: boolean;
  /** The value of TESSERA_DATANODE_LAUNCHER, if set. */
  requested: string | undefined;
}

export function chooseLauncher(runtime: LauncherRuntime): { kind: LauncherKind; reason: string } {
  const { requested } = runtime;
  if (requested !== undefined && requested !== '') {
    if (requested !== 'node' && requested !== 'utility') {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid TESSERA_DATANODE_LAUNCHER '${requested}': expected 'node' or 'utility'`,
      );
    }
    if (requested === 'utility' && !runtime.utilityProcessAvailable) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `TESSERA_DATANODE_LAUNCHER=utility needs Electron's utilityProcess, which this process does not have${
          runtime.electronVersion ? '' : ' (plain Node)'
        }`,
      );
    }
    return { kind: requested, reason: `TESSERA_DATANODE_LAUNCHER=${requested}` };
  }
  if (runtime.electronVersion !== undefined && runtime.utilityProcessAvailable) {
    return { kind: 'utility', reason: `Electron ${runtime.electronVersion}: datanodes run as utility processes` };
  }
  return { kind: 'node', reason: 'plain Node: datanodes run as child processes' };
}

/** Builds the chosen launcher; each kind's constructor is passed in, so this module needs no Electron. */
export function createLauncher(
  runtime: LauncherRuntime,
  factories: Record<LauncherKind, () => ProcessLauncher>,
): { launcher: ProcessLauncher; reason: string } {
  const { kind, reason } = chooseLauncher(runtime);
  return { launcher: factories[kind](), reason };
}
