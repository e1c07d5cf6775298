/**
 * HTTP authentication when the server has users (GreptimeDB's `authorize.rs`): every `/v1/`
 * path but the public ones (`/v1/health`, `/v1/influxdb/ping`, `/v1/influxdb/health`) needs
 * `Authorization: Basic` (or `x-greptime-auth`) credentials; InfluxDB paths also take
 * `Authorization: Token user:password` or `u` and `p` query parameters. Failures are 401.
 */
import type { IncomingMessage } from 'node:http';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { UserProvider } from './user-provider.ts';

const publicPaths = ['/v1/influxdb/ping', '/v1/influxdb/health', '/v1/health'];

export function needsAuth(path: string): boolean {
  return path.startsWith('/v1/') && !publicPaths.some((prefix) => path.startsWith(prefix));
}

function credentialsOf(request: IncomingMessage, url: URL): [string, string] {
  const raw = request.headers['x-greptime-auth'] ?? request.headers.authorization;
  const influx = url.pathname.startsWith('/v1/influxdb/');
  if (typeof raw === 'string') {
    const space = raw.indexOf(' ');
    if (space < 0) throw new TesseraError(ErrorCode.Unauthorized, 'Invalid authorization header');
    const scheme = raw.slice(0, space).toLowerCase();
    const credential = raw.slice(space + 1).trim();
    let pair: string;
    if (scheme === 'basic') pair = Buffer.from(credential, 'base64').toString('utf8');
    else if (scheme === 'token' && influx) pair = credential;
    else throw new TesseraError(ErrorCode.Unauthorized, `Unsupported authorization scheme: ${scheme}`);
    const colon = pair.indexOf(':');
    if (colon < 0) throw new TesseraError(ErrorCode.Unauthorized, 'Invalid authorization header');
    return [pair.slice(0, colon), pair.slice(colon + 1)];
  }
  if (influx) {
    const user = url.searchParams.get('u');
    const password = url.searchParams.get('p');
    if (user && password) return [user, password];
    if (user || password) {
      throw new TesseraError(ErrorCode.Unauthorized, 'influxdb auth: username and password must be provided together');
    }
    throw new TesseraError(ErrorCode.Unauthorized, 'Not found influx http authorization info');
  }
  throw new TesseraError(ErrorCode.Unauthorized, 'Not found http or grpc authorization header');
}

/** Throws a 401 error unless the request carries a known user's password. */
export function authorize(request: IncomingMessage, url: URL, users: UserProvider): void {
  const [user, password] = credentialsOf(request, url);
  if (!users.authenticate(user, password)) {
    throw new TesseraError(ErrorCode.AuthFailed, `Username and password does not match, username: ${user}`);
  }
}
