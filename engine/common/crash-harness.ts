/**
 * The loop every crash test shares: fork a writer (TypeScript, through tsx), read the lines
 * it prints, SIGKILL it at a random moment after its first acknowledgement, and wait until it
 * is gone and its pipes are drained. What the lines mean (announced, acknowledged, ...) is
 * the test's business: `onLine` returns 'ack' for a line that acknowledges a write, or a
 * string to fail the run with.
 */
import { writeSync } from 'node:fs';
import { fork } from 'node:child_process';

export interface KillRunOptions {
  /** The writer's entry file (absolute path to a .ts file). */
  entry: string;
  args: readonly string[];
  /** Called for every complete line (a line cut by the kill has no newline and is dropped). */
  onLine(line: string): 'ack' | string | void;
  /** The kill lands this many ms after the first ack: [min, max). Default [20, 300). */
  killWindowMs?: readonly [number, number];
  /** A writer that acknowledges nothing for this long fails the run. Default 30 s. */
  noAckTimeoutMs?: number;
}

export interface KillRunResult {
  acks: number;
  /** Everything the writer wrote to stderr (its logs). */
  stderr: string;
}

/** Runs the writer until it is killed; throws when it fails, exits by itself or never acks. */
export async function runUntilKilled(options: KillRunOptions): Promise<KillRunResult> {
  const child = fork(options.entry, [...options.args], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const [minMs, maxMs] = options.killWindowMs ?? [20, 300];
  let stderr = '';
  let buffered = '';
  let acks = 0;
  let killed = false;
  let failure: string | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const noAckTimeoutMs = options.noAckTimeoutMs ?? 30_000;
  const noAckTimer = setTimeout(() => {
    failure ??= `the writer acknowledged nothing within ${noAckTimeoutMs} ms`;
    child.kill('SIGKILL');
  }, noAckTimeoutMs);

  const onLine = (line: string): void => {
    const verdict = options.onLine(line);
    if (typeof verdict === 'string' && verdict !== 'ack') {
      failure ??= verdict;
      return;
    }
    if (verdict !== 'ack') return;
    acks++;
    if (acks === 1) {
      clearTimeout(noAckTimer);
      killTimer = setTimeout(
        () => {
          killed = true;
          child.kill('SIGKILL');
        },
        minMs + Math.random() * (maxMs - minMs),
      );
    }
  };
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.length > 0) onLine(line);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearTimeout(noAckTimer);
  clearTimeout(killTimer);
  // 'exit' can come before the pipes are drained; wait for them to end.
  await Promise.all(
    [child.stdout!, child.stderr!].map(
      (stream) => new Promise((resolve) => (stream.readableEnded ? resolve(undefined) : stream.once('end', resolve))),
    ),
  );
  if (failure !== undefined) throw new Error(`${failure}\n${stderr.slice(-3000)}`);
  if (!killed || signal !== 'SIGKILL') {
    throw new Error(`the writer exited by itself (code ${code}, signal ${signal})\n${stderr.slice(-3000)}`);
  }
  return { acks, stderr };
}

/**
 * For the child of a crash test: writes `line` to stdout with write(2) calls that have all
 * returned before this does, so a line written is a line the parent reads even after SIGKILL.
 * `process.stdout.write` on a pipe may queue the bytes inside the process (under load it does),
 * and a queued line dies with it. stdout may be non-blocking: a full pipe is retried.
 */
export function writeLineSync(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}
