/**
 * cluster: starting a whole cluster on one machine (metasrv + frontend here, datanodes as
 * child processes) for `tessera serve`, the tests and the desktop app.
 */
export { startLocalCluster, parseHostPort } from './local-cluster.ts';
export type { LocalCluster, LocalClusterOptions } from './local-cluster.ts';
export { NodeProcessLauncher } from './node-process-launcher.ts';
export type { LaunchSpec, LaunchedProcess, ProcessLauncher } from './process-launcher.ts';
export type { DatanodeSlot } from './datanode-supervisor.ts';
export { loadOrCreateClusterToken, tokenPath } from './cluster-token.ts';
/** Helpers for tests that run a cluster: polling with a limit, and process liveness. */
export { processExists, waitFor } from './testing/wait-for.ts';
/** What every ProcessLauncher must do, as runner-neutral cases (node:test here, the shell's runner in Electron). */
export { launcherFixtureEntry, processLauncherContract } from './testing/process-launcher-contract.ts';
export type { ProcessLauncherContractCase } from './testing/process-launcher-contract.ts';
