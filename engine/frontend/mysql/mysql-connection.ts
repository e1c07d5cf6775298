/**
 * One MySQL client connection: the v10 handshake (mysql_native_password; a client asking for
 * another plugin is switched when passwords are checked), then commands until COM_QUIT.
 * COM_QUERY runs a text of one or more statements and answers with text result sets;
 * COM_STMT_PREPARE / EXECUTE / CLOSE keep prepared statements and answer in the binary
 * protocol. Failures of a statement become ERR packets; a packet that breaks the protocol
 * ends this connection only.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { asTesseraError } from '../../common/index.ts';
import type { TesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import type { SqlHandler } from '../http/handle-sql.ts';
import { prepareSql, sqlLiteral } from '../wire/prepared-statement.ts';
import type { PreparedSql } from '../wire/prepared-statement.ts';
import { SocketClosedError, SocketReader } from '../wire/socket-reader.ts';
import type { WireUserProvider } from '../wire/user-provider.ts';
import { WireSession, wireClientText } from '../wire/wire-session.ts';
import type { WireColumn, WireResult } from '../wire/wire-session.ts';
import { readExecuteParams } from './mysql-binary-params.ts';
import type { ParamType } from './mysql-binary-params.ts';
import { MysqlErrorKind, mysqlError } from './mysql-errors.ts';
import { federatedAnswer } from './mysql-federated.ts';
import {
  MalformedPacketError,
  MysqlPacketIo,
  PayloadReader,
  ServerStatus,
  eofPacket,
  errPacket,
  lenencInt,
  okPacket,
} from './mysql-packets.ts';
import { ColumnType, binaryRow, columnDefinition, textRow } from './mysql-types.ts';

/** GreptimeDB reports MySQL 8.4.2 (GREPTIMEDB_MYSQL_SERVER_VERSION overrides it there). */
export const mysqlServerVersion = '8.4.2';
const nativePassword = 'mysql_native_password';
const parameterColumn: WireColumn = { name: '?', dataType: 'String', type: { class: 'string', unitsPerSecond: 1 } };

const Capability = {
  longPassword: 0x1,
  foundRows: 0x2,
  longFlag: 0x4,
  connectWithDb: 0x8,
  protocol41: 0x200,
  ssl: 0x800,
  transactions: 0x2000,
  secureConnection: 0x8000,
  multiStatements: 0x10000,
  multiResults: 0x20000,
  psMultiResults: 0x40000,
  pluginAuth: 0x80000,
  connectAttrs: 0x100000,
  pluginAuthLenencData: 0x200000,
} as const;

const serverCapabilities =
  Capability.longPassword |
  Capability.foundRows |
  Capability.longFlag |
  Capability.connectWithDb |
  Capability.protocol41 |
  Capability.transactions |
  Capability.secureConnection |
  Capability.multiStatements |
  Capability.multiResults |
  Capability.psMultiResults |
  Capability.pluginAuth |
  Capability.connectAttrs |
  Capability.pluginAuthLenencData;

const Command = {
  quit: 0x01,
  initDb: 0x02,
  query: 0x03,
  fieldList: 0x04,
  ping: 0x0e,
  changeUser: 0x11,
  stmtPrepare: 0x16,
  stmtExecute: 0x17,
  stmtSendLongData: 0x18,
  stmtClose: 0x19,
  stmtReset: 0x1a,
  setOption: 0x1b,
  resetConnection: 0x1f,
} as const;

export interface MysqlConnectionOptions {
  handler: SqlHandler;
  users?: WireUserProvider;
  logger: Logger;
  connectionId: number;
}

interface BinaryStatement {
  /** The statement, or the text of a client-setup query answered without parsing. */
  prepared: PreparedSql | { shortcut: string };
  parameterCount: number;
  types?: ParamType[];
  longData: Map<number, Buffer>;
}

/** 20 printable-ish scramble bytes without NUL or `$`, as MySQL servers send. */
function newScramble(): Buffer {
  const bytes = randomBytes(20);
  for (let i = 0; i < 20; i++) {
    let byte = bytes[i]! & 0x7f;
    if (byte === 0 || byte === 0x24) byte += 1;
    bytes[i] = byte;
  }
  return bytes;
}

const sha1 = (...parts: Buffer[]) => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). */
export function nativePasswordMatches(password: string, scramble: Buffer, response: Buffer): boolean {
  if (password === '') return response.length === 0;
  if (response.length !== 20) return false;
  const stage1 = sha1(Buffer.from(password, 'utf8'));
  const mask = sha1(scramble, sha1(stage1));
  return stage1.every((byte, i) => (byte ^ mask[i]!) === response[i]);
}

function handshakePacket(connectionId: number, scramble: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(connectionId, 0);
  const middle = Buffer.alloc(1 + 2 + 1 + 2 + 2 + 1 + 10);
  let at = 0;
  middle[at++] = 0;
  middle.writeUInt16LE(serverCapabilities & 0xffff, at);
  at += 2;
  middle[at++] = 33;
  middle.writeUInt16LE(ServerStatus.autocommit, at);
  at += 2;
  middle.writeUInt16LE(serverCapabilities >>> 16, at);
  at += 2;
  middle[at++] = 21;
  return Buffer.concat([
    Buffer.from([10]),
    Buffer.from(`${mysqlServerVersion}\0`, 'latin1'),
    head,
    scramble.subarray(0, 8),
    middle,
    scramble.subarray(8, 20),
    Buffer.from([0]),
    Buffer.from(`${nativePassword}\0`, 'latin1'),
  ]);
}

export class MysqlConnection {
  private readonly io: MysqlPacketIo;
  private readonly session: WireSession;
  private readonly options: MysqlConnectionOptions;
  private readonly statements = new Map<number, BinaryStatement>();
  private nextStatementId = 1;

  constructor(socket: Socket, options: MysqlConnectionOptions) {
    this.options = options;
    this.io = new MysqlPacketIo(socket, new SocketReader(socket));
    this.session = new WireSession(options.handler, 'mysql', 'public', {
      processId: options.connectionId,
      client: wireClientText('mysql', socket.remoteAddress, socket.remotePort),
    });
  }

  /** Serves the connection until the client quits or breaks the protocol; never throws. */
  async serve(): Promise<void> {
    try {
      if (!(await this.handshake())) return;
      while (await this.command());
    } catch (error) {
      if (error instanceof SocketClosedError) return;
      const event = error instanceof MalformedPacketError ? 'mysql.malformed-packet' : 'mysql.connection-failed';
      this.options.logger.error(event, { connection: this.options.connectionId, error });
    }
  }

  private sendError(error: TesseraError): void {
    const { code, sqlState, message } = mysqlError(error);
    this.io.write(errPacket(code, sqlState, message));
  }

  private async handshake(): Promise<boolean> {
    const scramble = newScramble();
    this.io.sequence = 0;
    this.io.write(handshakePacket(this.options.connectionId, scramble));
    this.io.flush();
    const reader = new PayloadReader(await this.io.read());
    const capabilities = reader.u32();
    if (!(capabilities & Capability.protocol41)) {
      throw new MalformedPacketError('the client does not speak protocol 4.1');
    }
    reader.u32();
    reader.u8();
    reader.bytes(23);
    if (capabilities & Capability.ssl && reader.remaining === 0) {
      throw new MalformedPacketError('the client asked for TLS, which this server does not offer');
    }
    const user = reader.nulString();
    let authData: Buffer;
    if (capabilities & Capability.pluginAuthLenencData) authData = reader.lenencBytes();
    else if (capabilities & Capability.secureConnection) authData = reader.bytes(reader.u8());
    else authData = Buffer.from(reader.nulString(), 'utf8');
    const database = capabilities & Capability.connectWithDb && reader.remaining > 0 ? reader.nulString() : '';
    const plugin = capabilities & Capability.pluginAuth && reader.remaining > 0 ? reader.nulString() : nativePassword;

    const users = this.options.users;
    if (users) {
      if (plugin !== nativePassword) {
        this.io.write(
          Buffer.concat([Buffer.from([0xfe]), Buffer.from(`${nativePassword}\0`), scramble, Buffer.from([0])]),
        );
        this.io.flush();
        authData = await this.io.read();
      }
      const password = await users.password(user);
      if (password === undefined || !nativePasswordMatches(password, scramble, authData)) {
        const [code, sqlState] = MysqlErrorKind.accessDenied;
        this.io.write(errPacket(code, sqlState, `Access denied for user '${user}'`));
        this.io.flush();
        return false;
      }
    }
    if (database) {
      try {
        await this.session.useDatabase(database);
      } catch {
        const [code, sqlState] = MysqlErrorKind.wrongDbName;
        this.io.write(errPacket(code, sqlState, `Unknown database '${database}'`));
        this.io.flush();
        return false;
      }
    }
    this.io.write(okPacket(0, ServerStatus.autocommit));
    this.io.flush();
    return true;
  }

  /** Reads and answers one command; false once the client quits. */
  private async command(): Promise<boolean> {
    const packet = await this.io.read();
    const reader = new PayloadReader(packet, 1);
    switch (packet[0]) {
      case undefined:
        throw new MalformedPacketError('empty command packet');
      case Command.quit:
        return false;
      case Command.ping:
        this.io.write(okPacket(0, ServerStatus.autocommit));
        break;
      case Command.stmtReset:
        this.statements.get(reader.u32())?.longData.clear();
        this.io.write(okPacket(0, ServerStatus.autocommit));
        break;
      case Command.initDb: {
        const database = reader.rest().toString('utf8');
        try {
          await this.session.useDatabase(database);
          this.io.write(okPacket(0, ServerStatus.autocommit));
        } catch {
          const [code, sqlState] = MysqlErrorKind.wrongDbName;
          this.io.write(errPacket(code, sqlState, `Unknown database '${database}'`));
        }
        break;
      }
      case Command.query:
        await this.query(reader.rest().toString('utf8'));
        break;
      case Command.fieldList:
      case Command.setOption:
        this.io.write(eofPacket(ServerStatus.autocommit));
        break;
      case Command.resetConnection:
        this.statements.clear();
        this.session.prepared.clear();
        this.io.write(okPacket(0, ServerStatus.autocommit));
        break;
      case Command.stmtPrepare:
        this.prepare(reader.rest().toString('utf8'));
        break;
      case Command.stmtExecute:
        await this.execute(reader);
        break;
      case Command.stmtSendLongData: {
        const statement = this.statements.get(reader.u32());
        const param = reader.u16();
        const data = reader.rest();
        if (statement) {
          const before = statement.longData.get(param);
          statement.longData.set(param, before ? Buffer.concat([before, data]) : Buffer.from(data));
        }
        return true;
      }
      case Command.stmtClose:
        this.statements.delete(reader.u32());
        return true;
      default: {
        const [code, sqlState] = MysqlErrorKind.unknownCommand;
        this.io.write(errPacket(code, sqlState, `Unknown command 0x${packet[0].toString(16)}`));
      }
    }
    this.io.flush();
    return true;
  }

  private async query(text: string): Promise<void> {
    const query = text.trimStart();
    let results: WireResult[];
    try {
      const answer = federatedAnswer(query, this.session);
      results = answer ? [answer] : await this.session.run(query);
    } catch (error) {
      this.sendError(asTesseraError(error));
      return;
    }
    this.writeResults(results, false);
  }

  private writeResults(results: WireResult[], binary: boolean): void {
    const offset = this.session.offsetMinutes();
    if (results.length === 0) results = [{ kind: 'empty' }];
    results.forEach((result, i) => {
      const status = ServerStatus.autocommit | (i < results.length - 1 ? ServerStatus.moreResults : 0);
      if (result.kind !== 'rows' || result.columns.length === 0) {
        this.io.write(okPacket(result.kind === 'affected' ? result.count : 0, status));
        return;
      }
      this.io.write(lenencInt(result.columns.length));
      for (const column of result.columns) this.io.write(columnDefinition(column));
      this.io.write(eofPacket(ServerStatus.autocommit));
      for (const row of result.rows) {
        this.io.write(binary ? binaryRow(result.columns, row, offset) : textRow(result.columns, row, offset));
      }
      this.io.write(eofPacket(status));
    });
  }

  private prepare(text: string): void {
    const query = text.trimStart();
    let statement: BinaryStatement;
    try {
      if (federatedAnswer(query, this.session)) {
        statement = { prepared: { shortcut: query }, parameterCount: 0, longData: new Map() };
      } else {
        const prepared = prepareSql(query);
        statement = { prepared, parameterCount: prepared.parameterCount, longData: new Map() };
      }
    } catch (error) {
      this.sendError(asTesseraError(error));
      return;
    }
    const id = this.nextStatementId++;
    this.statements.set(id, statement);
    const head = Buffer.alloc(12);
    head[0] = 0x00;
    head.writeUInt32LE(id, 1);
    head.writeUInt16LE(0, 5);
    head.writeUInt16LE(statement.parameterCount, 7);
    this.io.write(head);
    if (statement.parameterCount > 0) {
      for (let i = 0; i < statement.parameterCount; i++) {
        this.io.write(columnDefinition(parameterColumn, ColumnType.varString));
      }
      this.io.write(eofPacket(ServerStatus.autocommit));
    }
  }

  private async execute(reader: PayloadReader): Promise<void> {
    const id = reader.u32();
    reader.u8();
    reader.u32();
    const statement = this.statements.get(id);
    if (!statement) {
      const [code, sqlState] = MysqlErrorKind.unknownStatement;
      this.io.write(
        errPacket(code, sqlState, `Unknown prepared statement handler (${id}) given to mysqld_stmt_execute`),
      );
      return;
    }
    const { values, types } = readExecuteParams(reader, statement.parameterCount, statement.types, statement.longData);
    statement.types = types;
    statement.longData.clear();
    let results: WireResult[];
    try {
      if ('shortcut' in statement.prepared) {
        const query = statement.prepared.shortcut;
        const answer = federatedAnswer(query, this.session);
        results = answer ? [answer] : await this.session.run(query);
      } else {
        results = await this.session.runPrepared(statement.prepared, values.map(sqlLiteral));
      }
    } catch (error) {
      this.sendError(asTesseraError(error));
      return;
    }
    this.writeResults(results, true);
  }
}
