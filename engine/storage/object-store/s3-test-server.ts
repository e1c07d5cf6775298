/**
 * A throwaway S3 endpoint for tests and benchmarks: `s3rver` (a dev dependency) in a child
 * process on 127.0.0.1 and a port the OS picks, storing into a temp directory, with one bucket
 * made up front. A child rather than in-process because s3rver makes ListObjectsV2
 * continuation tokens with DES, which Node 20's OpenSSL 3 has only in its legacy provider
 * (`--openssl-legacy-provider`, a process-wide flag); it also keeps s3rver's synchronous file
 * walks off the test's event loop.
 *
 * s3rver 3.7.1 differs from S3 in ways the store works around or the tests avoid (README.md):
 * suffix ranges (`bytes=-8` returns the first 9 bytes); `bytes=0-0` returns the whole object;
 * a range on an empty object announces one byte and sends none (the connection then hangs
 * until keep-alive ends); SigV4 signatures are not checked (only the access key id); listings
 * come in directory-walk order rather than key order (so paging can skip keys when a page
 * ends between `a/x` and `a.b`); and PUT rewrites the file in place, so a reader racing an
 * overwrite can see a partial object.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnServerProcess } from '../../common/index.ts';
import type { S3ObjectStoreOptions } from './s3-object-store.ts';

/** A running s3rver. */
export interface S3TestServer {
  /** 'http://127.0.0.1:<port>'. */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The s3rver child's process id. */
  readonly pid: number;
  /** Options for an `S3ObjectStore` on this server's bucket, under `prefix`. */
  storeOptions(prefix?: string): S3ObjectStoreOptions;
  /** The `s3://` URL `openObjectStore` takes for this server's bucket and `prefix` (credentials not included). */
  url(prefix?: string): string;
  /** SIGTERM (SIGKILL after 5 s), then removes the data directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts s3rver with `bucket` (default 'tessera-test') and waits until it listens (up to 15 s). */
export async function startS3TestServer(options: { bucket?: string } = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? 'tessera-test';
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const directory = await mkdtemp(join(tmpdir(), 'tessera-s3rver-'));
  // Koa prints the stack of every 5xx it answers to stderr: the tail goes into error messages.
  const server = spawnServerProcess(
    process.execPath,
    [
      '--openssl-legacy-provider',
      cli,
      '--directory',
      directory,
      '--address',
      '127.0.0.1',
      '--port',
      '0',
      '--silent',
      '--configure-bucket',
      bucket,
    ],
    { pipeStdout: true },
  );
  const stop = async (): Promise<void> => {
    await server.stop();
    await rm(directory, { recursive: true, force: true });
  };

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => reject(new Error(`s3rver did not start within 15 s: ${server.stderrTail()}`)),
        15_000,
      );
      const stdoutStream = server.child.stdout!;
      stdoutStream.setEncoding('utf8');
      stdoutStream.on('data', (chunk: string) => {
        stdout += chunk;
        const match = /S3rver listening on [\d.]+:(\d+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      void server.exit.then(() => {
        clearTimeout(timer);
        reject(new Error(`s3rver exited before it listened: ${server.stderrTail()}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver knows one account; it checks the key id but not SigV4 signatures.
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const region = 'us-east-1';
  return {
    endpoint,
    bucket,
    region,
    ...credentials,
    pid: server.pid,
    storeOptions: (prefix) => ({ bucket, prefix, region, endpoint, forcePathStyle: true, ...credentials }),
    url: (prefix) =>
      `s3://${bucket}/${prefix ?? ''}?endpoint=${encodeURIComponent(endpoint)}&region=${region}&path_style=true`,
    stop,
  };
}
