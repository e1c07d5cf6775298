/**
 * How a follower metasrv says "not me": a retryable `MetasrvNotLeader` whose message names the
 * leader's address when it knows one. Only `{ code, message, retryable }` crosses the wire, so
 * the address travels in the message, written and read here and nowhere else.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';

const leaderIs = 'the leader is ';

/** The refusal a follower at `self` answers with; `leader` is the leader's rpc address, if known. */
export function notLeaderError(self: string, method: string, leader: string | undefined): TesseraError {
  const where = leader === undefined ? 'no leader is elected yet' : `${leaderIs}${leader}`;
  return new TesseraError(ErrorCode.MetasrvNotLeader, `metasrv ${self} is not the leader (${method}); ${where}`, {
    retryable: true,
  });
}

/** The leader's address a `notLeaderError` names, or undefined. */
export function leaderNamedIn(error: TesseraError): string | undefined {
  if (error.code !== ErrorCode.MetasrvNotLeader) return undefined;
  const at = error.message.lastIndexOf(leaderIs);
  if (at < 0) return undefined;
  const address = error.message.slice(at + leaderIs.length).trim();
  return /^wss?:\/\/\S+$/.test(address) ? address : undefined;
}

/**
 * `--metasrv` as a list: `ws://a:3002,ws://b:3002` (or one address). Throws InvalidArguments
 * naming the value when an entry is not a ws:// URL.
 */
export function parseMetasrvAddresses(value: string): string[] {
  const addresses = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (addresses.length === 0) {
    throw new TesseraError(ErrorCode.InvalidArguments, `No metasrv address in ${JSON.stringify(value)}`);
  }
  for (const address of addresses) {
    if (!/^wss?:\/\/[^\s/]+\/?$/.test(address)) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `metasrv address ${JSON.stringify(address)} in ${JSON.stringify(value)} is not ws://HOST:PORT`,
      );
    }
  }
  return [...new Set(addresses.map((address) => address.replace(/\/$/, '')))];
}
