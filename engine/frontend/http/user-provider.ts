/**
 * Users for HTTP authentication, configured the way GreptimeDB's static user provider is:
 * `static_user_provider:cmd:alice=secret,bob=pwd` or `static_user_provider:file:/path` (one
 * `user=password` per line; `#` comments and blank lines skipped; a `user:mode=password` line
 * keeps the user and ignores the permission mode). Without a provider nothing is checked.
 */
import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { ErrorCode, TesseraError } from '../../common/index.ts';

export interface UserProvider {
  /** Whether the user exists with this password. */
  authenticate(user: string, password: string): boolean;
  /** The user's password, undefined for no such user (the shape the MySQL / PostgreSQL servers take). */
  password(user: string): Promise<string | undefined>;
}

function invalidOption(value: string, message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Invalid user provider option '${value}': ${message}`);
}

function credentialOf(line: string): [string, string] | undefined {
  const parts = line.split('=');
  if (parts.length !== 2 || parts[0]!.trim() === '') return undefined;
  const user = parts[0]!.trim().split(':')[0]!;
  return [user, parts[1]!.trim()];
}

/** Parses the `--user-provider` value. */
export function userProviderFromOption(option: string): UserProvider {
  const [name, mode, ...rest] = option.split(':');
  const content = rest.join(':');
  if (name !== 'static_user_provider') {
    throw invalidOption(option, 'expected static_user_provider:cmd:<user=pwd,...> or static_user_provider:file:<path>');
  }
  const users = new Map<string, string>();
  if (mode === 'cmd') {
    for (const pair of content.split(',')) {
      const credential = credentialOf(pair);
      if (!credential) throw invalidOption(option, 'cmd values must be in format `user=pwd[,user=pwd]`');
      users.set(credential[0], credential[1]);
    }
  } else if (mode === 'file') {
    let text: string;
    try {
      text = readFileSync(content, 'utf8');
    } catch (error) {
      throw invalidOption(option, `cannot read ${content}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const credential = credentialOf(line);
      if (credential) users.set(credential[0], credential[1]);
    }
    if (users.size === 0) throw invalidOption(option, 'the file must contain at least one valid credential');
  } else {
    throw invalidOption(option, 'expected `file:<path>` or `cmd:<values>`');
  }
  return {
    authenticate(user, password) {
      const expected = users.get(user);
      if (expected === undefined) return false;
      const a = Buffer.from(expected);
      const b = Buffer.from(password);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    password: async (user) => users.get(user),
  };
}
