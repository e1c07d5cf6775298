/**
 * The token nodes present to each other. A local cluster keeps one in its data home
 * (`cluster-token`, mode 0600) so a restarted cluster and separately started roles that
 * share the data home agree on it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, TesseraError, readFileIfExists, writeFileAtomic } from '../common/index.ts';

export function tokenPath(dataHome: string): string {
  return join(dataHome, 'cluster-token');
}

/** Reads the data home's token, creating a random one on first use. */
export async function loadOrCreateClusterToken(dataHome: string): Promise<string> {
  const path = tokenPath(dataHome);
  const existing = await readFileIfExists(path);
  if (existing !== undefined) {
    const token = existing.trim();
    if (token.length < 16) {
      throw new TesseraError(ErrorCode.InvalidArguments, `Cluster token in ${path} is shorter than 16 characters`);
    }
    return token;
  }
  await mkdir(dataHome, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  await writeFileAtomic(path, token + '\n', 0o600);
  return token;
}
