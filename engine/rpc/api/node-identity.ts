/**
 * A node's id lives in its data home (`datanode.json`, `frontend.json`), so a restarted
 * process registers under the same id (and a datanode finds its regions again).
 */
import { join } from 'node:path';
import { ErrorCode, TesseraError, readFileIfExists, writeFileAtomic } from '../../common/index.ts';
import type { NodeRole } from './metasrv-api.ts';

interface IdentityFile {
  nodeId: number;
}

function identityPath(dataHome: string, role: NodeRole): string {
  return join(dataHome, `${role}.json`);
}

/** The id a node of `role` kept in `dataHome`, or undefined before its first registration. */
export async function readNodeId(dataHome: string, role: NodeRole): Promise<number | undefined> {
  const path = identityPath(dataHome, role);
  const text = await readFileIfExists(path);
  if (text === undefined) return undefined;
  let parsed: Partial<IdentityFile>;
  try {
    parsed = JSON.parse(text) as Partial<IdentityFile>;
  } catch {
    throw new TesseraError(ErrorCode.StorageCorrupted, `Node identity file ${path} is not valid JSON`);
  }
  if (!Number.isSafeInteger(parsed.nodeId) || (parsed.nodeId as number) < 1) {
    throw new TesseraError(ErrorCode.StorageCorrupted, `Node identity file ${path} has no valid nodeId`);
  }
  return parsed.nodeId;
}

export async function writeNodeId(dataHome: string, role: NodeRole, nodeId: number): Promise<void> {
  await writeFileAtomic(identityPath(dataHome, role), JSON.stringify({ nodeId } satisfies IdentityFile) + '\n');
}
