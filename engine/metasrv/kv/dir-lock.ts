/**
 * One process per store directory. The `LOCK` file holds the owner's pid and, on Linux,
 * the process start time from /proc (so a pid reused after a reboot or in a fresh
 * container does not look like a live owner). A lock whose owner is gone is stale and is
 * taken over: a crashed metasrv must not need a manual cleanup. Node has no flock, so two
 * processes taking over the same stale lock at the same instant could both win; the window
 * is the time between reading and rewriting one small file.
 */

import { readFileSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode, TesseraError } from '../../common/index.ts';

/** The lock file's name inside a store directory. */
export const lockFileName = 'LOCK';

/** Directories this process holds, so a second open in the same process is refused too. */
const heldHere = new Set<string>();

interface LockOwner {
  pid: number;
  /** Field 22 of /proc/<pid>/stat, or undefined off Linux. */
  start?: string;
}

/** A held lock; `release` removes the file. */
export interface DirLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Takes the lock on `dir` (which must exist) or throws `StorageUnavailable` naming the
 * owner's pid and the lock file. `what` names the store in messages.
 */
export async function lockDir(dir: string, what: string): Promise<DirLock> {
  const absolute = resolve(dir);
  const path = join(absolute, lockFileName);
  if (heldHere.has(absolute)) {
    throw new TesseraError(ErrorCode.StorageUnavailable, `${what} is already open in this process (lock ${path})`);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const me: LockOwner = { pid: process.pid, start: processStart(process.pid) };
    try {
      const file = await open(path, 'wx');
      try {
        await file.writeFile(JSON.stringify(me) + '\n');
      } finally {
        await file.close();
      }
      heldHere.add(absolute);
      return {
        path,
        release: async () => {
          heldHere.delete(absolute);
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(path);
    if (owner !== undefined && isAlive(owner)) {
      throw new TesseraError(
        ErrorCode.StorageUnavailable,
        `${what} is in use by process ${owner.pid} (lock file ${path}); stop that process first`,
      );
    }
    // Stale: its owner died without releasing it. Remove it and race for a fresh one.
    await unlink(path).catch(() => undefined);
  }
  throw new TesseraError(ErrorCode.StorageUnavailable, `${what}: could not take the lock file ${path}`);
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, start: owner.start } : undefined;
  } catch {
    // Missing (released meanwhile) or half-written by an owner that died while writing it.
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return false; // heldHere covers this process's own locks
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = processStat(owner.pid);
  if (stat === undefined) return true; // no /proc: trust kill(0)
  if (stat.state === 'Z') return false; // exited, not yet reaped by its parent
  return owner.start === undefined || stat.start === owner.start;
}

function processStart(pid: number): string | undefined {
  return processStat(pid)?.start;
}

/** State and start time (clock ticks since boot) of `pid` from /proc; undefined where there is no /proc. */
function processStat(pid: number): { state: string; start: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; fields after it split
    // cleanly: state is field 3, start time field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], start: fields[19] };
  } catch {
    return undefined;
  }
}
