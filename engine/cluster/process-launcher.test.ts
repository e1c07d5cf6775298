import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NodeProcessLauncher } from './node-process-launcher.ts';
import type { ProcessLauncher } from './process-launcher.ts';
import { processLauncherContract } from './testing/process-launcher-contract.ts';

// The same cases run inside Electron against the utility-process launcher: electron/launcher-contract-main.ts.
describe('ProcessLauncher contract: NodeProcessLauncher', () => {
  for (const contractCase of processLauncherContract(() => new NodeProcessLauncher())) {
    test(contractCase.name, () => contractCase.run());
  }
});

test('the contract fails a launcher that loses the environment (the cluster token travels there)', async () => {
  const forgetful: ProcessLauncher = {
    name: 'forgetful',
    launch: (spec) => new NodeProcessLauncher().launch({ ...spec, env: {} }),
  };
  const [runsTheEntry] = processLauncherContract(() => forgetful);
  await assert.rejects(runsTheEntry!.run(), /from-the-environment/);
});
