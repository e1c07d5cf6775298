/**
 * The statements MySQL clients and drivers send on connect or around their own features
 * (`SELECT @@version_comment LIMIT 1`, `SHOW VARIABLES LIKE 'sql_mode'`, `SET NAMES utf8mb4`,
 * `SHOW WARNINGS`, transaction statements, mysqldump's and DBeaver's settings), answered
 * before SQL parsing with the values GreptimeDB's MySQL server gives.
 */
import { wireTypeOf } from '../wire/value-text.ts';
import { rowsResult } from '../wire/wire-session.ts';
import type { WireResult, WireSession } from '../wire/wire-session.ts';

const selectVariable = /^(SELECT @@(.*))/i;
const connectorJ = /^(\/\* mysql-connector-j(.*))/i;
const showSqlMode = /^(SHOW VARIABLES LIKE 'sql_mode'(.*))/i;
const showLowerCase = /^(SHOW VARIABLES LIKE 'lower_case_table_names'(.*))/i;
const showVariablesLike = /^(SHOW VARIABLES( LIKE (.*))?)/i;
const showWarnings = /^(\/\* ApplicationName=.*)?SHOW WARNINGS/i;
const timeDiff = /^(SELECT TIMEDIFF\(NOW\(\), UTC_TIMESTAMP\(\)\))/i;

/** Statements acknowledged with an empty result: GreptimeDB has no use for them. */
const ignored = [
  /^(ROLLBACK(.*))/is,
  /^(COMMIT(.*))/is,
  /^(START(.*))/is,
  /^(SET NAMES(.*))/is,
  /^(SET character_set_results(.*))/is,
  /^(SET net_write_timeout(.*))/is,
  /^(SET FOREIGN_KEY_CHECKS(.*))/is,
  /^(SET AUTOCOMMIT(.*))/is,
  /^(SET SQL_LOG_BIN(.*))/is,
  /^(SET SESSION TRANSACTION(.*))/is,
  /^(SET TRANSACTION(.*))/is,
  /^(SET sql_mode(.*))/is,
  /^(SET SQL_SELECT_LIMIT(.*))/is,
  /^(SET PROFILING(.*))/is,
  /^(SELECT \$\$)/i,
  /^(SET SQL_QUOTE_SHOW_CREATE(.*))/is,
  /^(LOCK TABLES(.*))/is,
  /^(UNLOCK TABLES(.*))/is,
  /^(SELECT LOGFILE_GROUP_NAME, FILE_NAME, TOTAL_EXTENTS, INITIAL_SIZE, ENGINE, EXTRA FROM INFORMATION_SCHEMA.FILES(.*))/is,
  /^(\/\*!80003 SET(.*) \*\/)$/is,
  /^(SHOW MASTER STATUS)/i,
  /^(SHOW ALL SLAVES STATUS)/i,
  /^(LOCK BINLOG FOR BACKUP)/i,
  /^(LOCK TABLES FOR BACKUP)/i,
  /^(UNLOCK BINLOG(.*))/is,
  /^(\/\*!4010[01] SET(.*) \*\/)$/is,
  /^(\/\*!40103 SET(.*) \*\/)$/is,
  /^(\/\*!40111 SET(.*) \*\/)$/is,
  /^(\/\*!40014 SET(.*) \*\/)$/is,
  /^(\/\*!40000 SET(.*) \*\/)$/is,
  /^(\/\* ApplicationName=(.*)SHOW PLUGINS)/is,
  /^(\/\* ApplicationName=(.*)SHOW ENGINES)/is,
  /^(\/\* ApplicationName=(.*)SELECT @@(.*))/is,
  /^(\/\* ApplicationName=(.*)SHOW @@(.*))/is,
  /^(\/\* ApplicationName=(.*)SET net_write_timeout(.*))/is,
  /^(\/\* ApplicationName=(.*)SET SQL_SELECT_LIMIT(.*))/is,
  /^(\/\* ApplicationName=(.*)SHOW VARIABLES(.*))/is,
];

const fixedValues: Record<string, string> = {
  tx_isolation: 'REPEATABLE-READ',
  'session.tx_isolation': 'REPEATABLE-READ',
  transaction_isolation: 'REPEATABLE-READ',
  'session.transaction_isolation': 'REPEATABLE-READ',
  'session.transaction_read_only': '0',
  max_allowed_packet: '134217728',
  interactive_timeout: '31536000',
  wait_timeout: '31536000',
  net_write_timeout: '31536000',
  version_comment: 'GreptimeDB',
};

/** `SELECT @@a, @@b AS c`: one string column per variable, named `@@a` or by its alias. */
function selectVariables(query: string, session: WireSession): WireResult | undefined {
  const parts = query.toLowerCase().split('@@');
  if (parts.length <= 1) return undefined;
  const names: string[] = [];
  const values: string[] = [];
  for (const part of parts.slice(1)) {
    const variable = part.replace(/^[ ,;]+|[ ,;]+$/g, '');
    const aliased = variable.split(' as ').map((piece) => piece.trim().split(/\s+/)[0] ?? '');
    if (aliased.length > 2) return undefined;
    const name = aliased[0]!;
    let value: string;
    if (name === 'session.time_zone' || name === 'time_zone' || name === 'system_time_zone') {
      value = session.variable(name) ?? 'UTC';
    } else if (name === 'max_execution_time' || name === 'session.max_execution_time') {
      value = session.variable(name) ?? '0';
    } else {
      value = fixedValues[name] ?? '0';
    }
    names.push(aliased.length === 2 ? aliased[1]! : `@@${name}`);
    values.push(value);
  }
  return rowsResult(names, [values]);
}

/** The answer GreptimeDB gives without running `query`, or undefined when it must run. */
export function federatedAnswer(query: string, session: WireSession): WireResult | undefined {
  if (/^insert/i.test(query)) return undefined;
  if (selectVariable.test(query) || connectorJ.test(query)) {
    const answer = selectVariables(query, session);
    if (answer) return answer;
  }
  if (showSqlMode.test(query)) {
    return rowsResult(
      ['Variable_name', 'Value'],
      [
        [
          'sql_mode',
          'ONLY_FULL_GROUP_BY STRICT_TRANS_TABLES NO_ZERO_IN_DATE NO_ZERO_DATE ERROR_FOR_DIVISION_BY_ZERO NO_ENGINE_SUBSTITUTION',
        ],
      ],
    );
  }
  if (showLowerCase.test(query)) return rowsResult(['Variable_name', 'Value'], [['lower_case_table_names', '0']]);
  if (showVariablesLike.test(query)) return rowsResult(['Variable_name', 'Value'], [['', '']]);
  if (showWarnings.test(query)) {
    const result = rowsResult(['Level', 'Code', 'Message'], []);
    result.columns[1] = { name: 'Code', dataType: 'UInt16', type: wireTypeOf('UInt16') };
    return result;
  }
  if (ignored.some((pattern) => pattern.test(query))) return { kind: 'empty' };
  if (timeDiff.test(query)) return rowsResult(['TIMEDIFF(NOW(), UTC_TIMESTAMP())'], [['00:00:00']]);
  return undefined;
}
