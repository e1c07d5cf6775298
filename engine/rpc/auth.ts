/**
 * The cluster token in the WebSocket handshake. The client sends `Authorization: Bearer
 * <token>`; the server compares SHA-256 digests with `timingSafeEqual`, so neither the
 * token's content nor its length leaks through the time a refusal takes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The Authorization header value that carries `token`. */
export function bearerAuthorization(token: string): string {
  return `Bearer ${token}`;
}

/** Whether an Authorization header carries exactly `token`; false when it is missing. */
export function authorizationMatches(authorization: string | undefined, token: string): boolean {
  const presented = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
  const equal = timingSafeEqual(digest(presented), digest(token));
  return equal && authorization !== undefined;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
