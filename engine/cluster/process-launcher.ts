/**
 * How a local cluster starts its datanode processes. Under Node it is `child_process.fork`
 * (`NodeProcessLauncher`); under Electron it will be `utilityProcess.fork`. Both run the
 * same entry file with the same arguments and environment, and both give the child an IPC
 * channel whose loss tells the child its parent is gone.
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
