/**
 * Where the wire servers check user names and passwords. Without a provider every user is let
 * in (GreptimeDB's default when no user provider is configured); with one, MySQL asks for
 * mysql_native_password and PostgreSQL for a cleartext password, both checked against it.
 */
export interface WireUserProvider {
  /** The user's password, or undefined when there is no such user. */
  password(user: string): Promise<string | undefined>;
}
