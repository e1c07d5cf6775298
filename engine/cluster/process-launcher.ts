/**
 * How a local cluster starts its datanode processes. Under Node it is `child_process.fork`
 * (`NodeProcessLauncher`); under Electron it is `utilityProcess.fork` (electron/). Both run the
 * same entry file with the same arguments and environment, and both give the child an IPC
 * channel whose loss tells the child its parent is gone. `testing/process-launcher-contract.ts`
 * says what a launcher must do; every launcher runs it.
 */

export interface LaunchSpec {
  /** A short name for logs: "datanode-2". */
  name: string;
  /** Absolute path of the TypeScript entry file to run. */
  entry: string;
  args: string[];
  /** Added to the parent's environment. Secrets (the cluster token) travel here, not in args. */
  env: Record<string, string>;
}

export interface LaunchedProcess {
  /**
   * The OS process id. A launcher whose spawn completes later (Electron's `utilityProcess`)
   * reports 0 until then; by the child's first message or its exit it is known.
   */
  readonly pid: number;
  /** Resolves once, when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** Messages the child sends over the IPC channel. */
  onMessage(listener: (message: unknown) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export interface ProcessLauncher {
  readonly name: string;
  launch(spec: LaunchSpec): LaunchedProcess;
}
