/**
 * Errors as MySQL ERR packets, with GreptimeDB's mapping of status codes to MySQL error
 * numbers and SQL states, and its message form `(StatusName): message`.
 */
import { ErrorCode } from '../../common/index.ts';
import type { TesseraError } from '../../common/index.ts';
import { statusName } from '../wire/status-names.ts';

export interface MysqlError {
  code: number;
  sqlState: string;
  message: string;
}

/** MySQL's error numbers with their SQL states, as GreptimeDB's server names them. */
export const MysqlErrorKind = {
  unknown: [1105, 'HY000'],
  notSupportedYet: [1235, '42000'],
  internal: [1815, 'HY000'],
  wrongArguments: [1210, 'HY000'],
  queryInterrupted: [1317, '70100'],
  syntax: [1149, '42000'],
  parse: [1064, '42000'],
  tableExists: [1050, '42S01'],
  noSuchTable: [1146, '42S02'],
  wrongDbName: [1102, '42000'],
  badField: [1054, '42S22'],
  dupFieldName: [1060, '42S21'],
  accessDenied: [1045, '28000'],
  unknownCommand: [1047, '08S01'],
  unknownStatement: [1243, 'HY000'],
} as const satisfies Record<string, readonly [number, string]>;

function kindOf(code: number): readonly [number, string] {
  switch (code) {
    case ErrorCode.Unknown:
      return MysqlErrorKind.unknown;
    case ErrorCode.Unsupported:
      return MysqlErrorKind.notSupportedYet;
    case ErrorCode.InvalidArguments:
      return MysqlErrorKind.wrongArguments;
    case ErrorCode.QueryCancelled:
    case ErrorCode.Cancelled:
    case ErrorCode.DeadlineExceeded:
      return MysqlErrorKind.queryInterrupted;
    case ErrorCode.InvalidSyntax:
      return MysqlErrorKind.syntax;
    case ErrorCode.TableAlreadyExists:
    case ErrorCode.RegionAlreadyExists:
      return MysqlErrorKind.tableExists;
    case ErrorCode.TableNotFound:
    case ErrorCode.RegionNotFound:
      return MysqlErrorKind.noSuchTable;
    case ErrorCode.DatabaseNotFound:
      return MysqlErrorKind.wrongDbName;
    case ErrorCode.TableColumnNotFound:
      return MysqlErrorKind.badField;
    case ErrorCode.TableColumnExists:
      return MysqlErrorKind.dupFieldName;
    case ErrorCode.Unauthorized:
    case ErrorCode.AuthFailed:
      return MysqlErrorKind.accessDenied;
    default:
      return MysqlErrorKind.internal;
  }
}

export function mysqlError(error: TesseraError): MysqlError {
  const [code, sqlState] = kindOf(error.code);
  return { code, sqlState, message: `(${statusName(error.code)}): ${error.message}` };
}
