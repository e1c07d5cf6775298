/**
 * A datanode's id lives in its data home (`datanode.json`), so a restarted process
 * registers under the same id and finds its regions again.
 */
import { join } from 'node:path';
import { ErrorCode, TesseraError, readFileIfExists, writeFileAtomic } from '../common/index.ts';

interface IdentityFile {
  nodeId: number;
}

function identityPath(dataHome: string): string {
  return join(dataHome, 'datanode.json');
}

/** The id kept in `dataHome`, or undefined before the first registration. */
export async function readNodeId(dataHome: string): Promise<number | undefined> {
  const path = identityPath(dataHome);
  const text = await readFileIfExists(path);
  if (text === undefined) return undefined;
  let parsed: Partial<IdentityFile>;
  try {
    parsed = JSON.parse(text) as Partial<IdentityFile>;
  } catch {
    throw new TesseraError(ErrorCode.StorageCorrupted, `Datanode identity file ${path} is not valid JSON`);
  }
  if (!Number.isSafeInteger(parsed.nodeId) || (parsed.nodeId as number) < 1) {
    throw new TesseraError(ErrorCode.StorageCorrupted, `Datanode identity file ${path} has no valid nodeId`);
  }
  return parsed.nodeId;
}

export async function writeNodeId(dataHome: string, nodeId: number): Promise<void> {
  await writeFileAtomic(identityPath(dataHome), JSON.stringify({ nodeId } satisfies IdentityFile) + '\n');
}
