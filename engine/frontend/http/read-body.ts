/** Reads a request body up to a limit; a larger body is refused before it is buffered. */
import type { IncomingMessage } from 'node:http';
import { ErrorCode, TesseraError } from '../../common/index.ts';

export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limitBytes) throw tooLarge(declared, limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      request.destroy();
      throw tooLarge(size, limitBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(size: number, limit: number): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `Request body of ${size} bytes exceeds the limit of ${limit} bytes`,
  );
}
