/**
 * Statements PostgreSQL clients send that GreptimeDB answers without running them: transaction
 * control (acknowledged with a warning, there are no transactions), `SET TRANSACTION`, and
 * `SHOW` of a few settings drivers read.
 */

export type FixtureAnswer =
  | { kind: 'command'; tag: string; transaction?: 'begin' | 'end'; warning?: string }
  | { kind: 'setting'; name: string; value: string };

const settings: Record<string, string> = {
  default_transaction_isolation: 'read committed',
  'transaction isolation level': 'read committed',
  standard_conforming_strings: 'on',
  client_encoding: 'UTF8',
};

const transactionWarning = 'Please note transaction is not supported in GreptimeDB.';

export function fixtureAnswer(query: string): FixtureAnswer | undefined {
  if (/^(START TRANSACTION.*|BEGIN);?/i.test(query)) {
    const tag = /^begin/i.test(query) ? 'BEGIN' : 'START TRANSACTION';
    return { kind: 'command', tag, transaction: 'begin', warning: transactionWarning };
  }
  if (/^(ABORT TRANSACTION|ROLLBACK);?/i.test(query)) return { kind: 'command', tag: 'ROLLBACK', transaction: 'end' };
  if (/^(COMMIT TRANSACTION|COMMIT);?/i.test(query)) return { kind: 'command', tag: 'COMMIT', transaction: 'end' };
  const show = /^SHOW (.*?);?$/is.exec(query);
  if (show) {
    const name = show[1]!.toLowerCase();
    const value = settings[name];
    return value === undefined ? undefined : { kind: 'setting', name, value };
  }
  if (/^SET TRANSACTION (.*?);?$/is.test(query)) return { kind: 'command', tag: 'SET' };
  return undefined;
}
