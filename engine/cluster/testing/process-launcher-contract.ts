/**
 * What every `ProcessLauncher` must do, as a list of cases any test runner can run: node's
 * test runner under plain Node (`process-launcher.test.ts`, with `NodeProcessLauncher`) and
 * the desktop shell's own runner inside Electron (`electron/launcher-contract-main.ts`, with
 * the utility-process launcher), where node:test cannot host a main process. The cases use
 * only the launcher seam and a fixture child, so a launcher that passes them can host datanodes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LaunchedProcess, ProcessLauncher } from '../process-launcher.ts';
import { processExists, waitFor } from './wait-for.ts';

/** The fixture child every case launches (TypeScript, run through the launcher's own tsx loading). */
export const launcherFixtureEntry: string = fileURLToPath(new URL('./launcher-fixture.ts', import.meta.url));

export interface ProcessLauncherContractCase {
  name: string;
  run(): Promise<void>;
}

interface Hello {
  type: 'hello';
  args: string[];
  secret: string | null;
  pid: number;
}

function firstHello(child: LaunchedProcess): Promise<Hello> {
  return new Promise((resolve, reject) => {
    child.onMessage((message) => {
      if ((message as Partial<Hello>)?.type === 'hello') resolve(message as Hello);
    });
    void child.exited.then(({ code, signal }) =>
      reject(new Error(`fixture exited before saying hello (code ${code}, signal ${signal})`)),
    );
  });
}

/** Ends a fixture whatever state the case left it in, so no case leaks a process. */
async function reap(child: LaunchedProcess): Promise<void> {
  child.kill('SIGKILL');
  await child.exited;
}

/**
 * The cases, each independent: it launches its own fixture and reaps it. `makeLauncher` is
 * called once per case.
 */
export function processLauncherContract(makeLauncher: () => ProcessLauncher): ProcessLauncherContractCase[] {
  const launch = (mode: string, args: string[] = [], env: Record<string, string> = {}): LaunchedProcess =>
    makeLauncher().launch({ name: `fixture-${mode}`, entry: launcherFixtureEntry, args: [mode, ...args], env });

  return [
    {
      name: 'runs the TypeScript entry with its arguments and environment, and delivers its messages',
      async run() {
        const child = launch('hello', ['--data-home', '/tmp/a dir with spaces', 'ünïcode'], {
          TESSERA_FIXTURE_SECRET: 'from-the-environment',
        });
        try {
          const hello = await firstHello(child);
          assert.deepEqual(hello.args, ['--data-home', '/tmp/a dir with spaces', 'ünïcode']);
          assert.equal(hello.secret, 'from-the-environment');
          // Some launchers learn the pid only once the process has spawned; by the first message they know it.
          assert.equal(child.pid, hello.pid);
          assert.ok(processExists(hello.pid));
        } finally {
          await reap(child);
        }
      },
    },
    {
      name: 'keeps secrets off the command line (the environment carries them)',
      async run() {
        const secret = 'cluster-token-that-ps-must-not-show';
        const child = launch('hello', [], { TESSERA_FIXTURE_SECRET: secret });
        try {
          const hello = await firstHello(child);
          assert.equal(hello.secret, secret);
          let commandLine: string;
          try {
            commandLine = readFileSync(`/proc/${hello.pid}/cmdline`, 'utf8');
          } catch {
            return; // no procfs on this platform: nothing more to check
          }
          assert.ok(commandLine.includes('launcher-fixture'), `cmdline names the entry: ${commandLine}`);
          assert.ok(!commandLine.includes(secret), 'the secret is not on the command line');
        } finally {
          await reap(child);
        }
      },
    },
    {
      name: 'kill() sends SIGTERM by default, and exited resolves once the process is gone',
      async run() {
        const child = launch('hello');
        const hello = await firstHello(child);
        child.kill();
        const exit = await child.exited;
        assert.ok(
          exit.code !== 0 || exit.signal !== null,
          `a terminated process does not report success: ${JSON.stringify(exit)}`,
        );
        await waitFor(`pid ${hello.pid} to be gone`, () => !processExists(hello.pid));
      },
    },
    {
      name: 'kill("SIGKILL") ends a process that ignores SIGTERM',
      async run() {
        const child = launch('ignore-term');
        const hello = await firstHello(child);
        child.kill('SIGTERM');
        // Give SIGTERM time to land; the fixture ignores it, so the process is still there.
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.ok(processExists(hello.pid), 'SIGTERM was ignored, as the fixture asked');
        child.kill('SIGKILL');
        await child.exited;
        await waitFor(`pid ${hello.pid} to be gone`, () => !processExists(hello.pid));
      },
    },
    {
      name: 'exited reports the exit code of a process that ends by itself',
      async run() {
        const child = launch('exit', ['3']);
        assert.deepEqual(await child.exited, { code: 3, signal: null });
      },
    },
    {
      name: 'kill() after the process has exited is harmless',
      async run() {
        const child = launch('exit', ['0']);
        assert.deepEqual(await child.exited, { code: 0, signal: null });
        child.kill();
        child.kill('SIGKILL');
        assert.deepEqual(await child.exited, { code: 0, signal: null });
      },
    },
  ];
}
