/**
 * One PostgreSQL client connection: startup (SSLRequest and GSSENCRequest answered 'N'), trust
 * or cleartext password authentication, then the simple query protocol (a text of several
 * statements) and the extended one (Parse / Bind / Describe / Execute / Sync / Close, as the
 * `pg` driver and psql use it). A failed statement sends ErrorResponse; in the extended
 * protocol the rest up to Sync is skipped, as PostgreSQL does. A message that breaks the
 * protocol ends this connection only.
 */
import type { Socket } from 'node:net';
import { ErrorCode, TESSERA_VERSION, TesseraError, asTesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import type { SqlHandler } from '../http/handle-sql.ts';
import { bindSql, prepareSql, sqlLiteral } from '../wire/prepared-statement.ts';
import type { PreparedSql } from '../wire/prepared-statement.ts';
import { SocketClosedError, SocketReader } from '../wire/socket-reader.ts';
import type { WireUserProvider } from '../wire/user-provider.ts';
import { WireSession, rowsResult, wireClientText } from '../wire/wire-session.ts';
import type { WireResult, WireRows } from '../wire/wire-session.ts';
import { fixtureAnswer } from './postgres-fixtures.ts';
import type { FixtureAnswer } from './postgres-fixtures.ts';
import {
  BodyReader,
  MalformedMessageError,
  authenticationCleartext,
  authenticationOk,
  backendKeyData,
  bindComplete,
  closeComplete,
  commandComplete,
  dataRow,
  emptyQueryResponse,
  errorFor,
  errorResponse,
  noData,
  noticeResponse,
  parameterDescription,
  parameterStatus,
  parseComplete,
  readMessage,
  readStartupMessage,
  readyForQuery,
  rowDescription,
} from './postgres-messages.ts';
import { Oid, binaryValue, decodeParam, oidOf, textValue, typeSizeOf } from './postgres-types.ts';

const protocolVersion3 = 196608;
const sslRequest = 80877103;
const gssEncRequest = 80877104;
const cancelRequest = 80877102;

/** What psql and drivers read at startup; the version is PostgreSQL 16's, as GreptimeDB reports. */
const serverParameters: [string, string][] = [
  ['server_version', `16.3-Tessera-${TESSERA_VERSION}`],
  ['server_encoding', 'UTF8'],
  ['client_encoding', 'UTF8'],
  ['DateStyle', 'ISO YMD'],
  ['integer_datetimes', 'on'],
  ['standard_conforming_strings', 'on'],
  ['TimeZone', 'UTC'],
];

/** Statement kinds whose result columns a Describe may learn by running them (no side effects). */
const readOnlyKinds = new Set(['query', 'show-databases', 'show-tables', 'show-create', 'describe-table']);

export interface PostgresConnectionOptions {
  handler: SqlHandler;
  users?: WireUserProvider;
  logger: Logger;
  /** The connection's number (process_list, BackendKeyData) and the secret a CancelRequest must quote. */
  processId?: number;
  secretKey?: number;
  /** A CancelRequest arrived on this (new) connection: stop the query of connection `processId`. */
  onCancelRequest?(processId: number, secretKey: number): void;
}

interface Statement {
  /** null for an empty query string or a fixture. */
  prepared: PreparedSql | null;
  paramTypes: number[];
  /** Transaction control and driver settings, answered without running (as in simple queries). */
  fixture?: FixtureAnswer;
}

interface Portal {
  statement: Statement;
  sql: string | null;
  resultFormats: number[];
  /** Results computed by a Describe, handed to the following Execute. */
  results?: WireResult[];
}

export class PostgresConnection {
  private readonly socket: Socket;
  private readonly reader: SocketReader;
  private readonly options: PostgresConnectionOptions;
  private readonly session: WireSession;
  private readonly statements = new Map<string, Statement>();
  private readonly portals = new Map<string, Portal>();
  private out: Buffer[] = [];
  private inTransaction = false;
  /** After an error in the extended protocol: skip messages until Sync. */
  private skipUntilSync = false;

  constructor(socket: Socket, options: PostgresConnectionOptions) {
    this.socket = socket;
    this.reader = new SocketReader(socket);
    this.options = options;
    this.session = new WireSession(
      options.handler,
      'postgres',
      'public',
      options.processId === undefined
        ? undefined
        : { processId: options.processId, client: wireClientText('postgres', socket.remoteAddress, socket.remotePort) },
    );
  }

  /** Serves the connection until Terminate or a protocol violation; never throws. */
  async serve(): Promise<void> {
    try {
      if (!(await this.startup())) return;
      while (await this.handleMessage());
    } catch (error) {
      if (error instanceof SocketClosedError) return;
      const event =
        error instanceof MalformedMessageError ? 'postgres.malformed-message' : 'postgres.connection-failed';
      this.options.logger.error(event, { error });
    } finally {
      this.flush();
    }
  }

  private send(buffer: Buffer): void {
    this.out.push(buffer);
  }

  private flush(): void {
    if (this.out.length === 0) return;
    const data = Buffer.concat(this.out);
    this.out = [];
    if (!this.socket.destroyed) this.socket.write(data);
  }

  private async startup(): Promise<boolean> {
    let start = await readStartupMessage(this.reader);
    while (start.code === sslRequest || start.code === gssEncRequest) {
      this.socket.write(Buffer.from('N'));
      start = await readStartupMessage(this.reader);
    }
    if (start.code === cancelRequest) {
      // Another connection's query is to stop: the request quotes its process id and secret key.
      if (start.body.length >= 8) {
        this.options.onCancelRequest?.(start.body.readUInt32BE(0), start.body.readUInt32BE(4));
      }
      return false;
    }
    if (start.code !== protocolVersion3) {
      this.send(
        errorResponse('0A000', `Unsupported frontend protocol ${start.code >> 16}.${start.code & 0xffff}`, 'FATAL'),
      );
      return false;
    }
    const body = new BodyReader(start.body);
    const params = new Map<string, string>();
    for (;;) {
      const key = body.cstring();
      if (key === '') break;
      params.set(key, body.cstring());
    }
    const user = params.get('user') ?? '';
    if (this.options.users) {
      this.send(authenticationCleartext());
      this.flush();
      const reply = await readMessage(this.reader);
      if (reply.type !== 'p') throw new MalformedMessageError(`expected a password message, got '${reply.type}'`);
      const password = new BodyReader(reply.body).cstring();
      const expected = await this.options.users.password(user);
      if (expected === undefined || expected !== password) {
        this.send(errorResponse('28P01', `password authentication failed for user "${user}"`, 'FATAL'));
        return false;
      }
    }
    const database = params.get('database');
    if (database) {
      // GreptimeDB also accepts `catalog-schema`; the catalog is always `greptime` here.
      const schema = database.startsWith('greptime-') ? database.slice('greptime-'.length) : database;
      try {
        await this.session.useDatabase(schema);
      } catch (error) {
        this.send(errorResponse('3D000', asTesseraError(error).message, 'FATAL'));
        return false;
      }
    }
    this.send(authenticationOk());
    for (const [name, value] of serverParameters) this.send(parameterStatus(name, value));
    this.send(parameterStatus('application_name', params.get('application_name') ?? ''));
    this.send(backendKeyData(this.options.processId, this.options.secretKey));
    this.send(readyForQuery('I'));
    this.flush();
    return true;
  }

  private ready(): void {
    this.send(readyForQuery(this.inTransaction ? 'T' : 'I'));
    this.flush();
  }

  /** Handles one message; false once the client terminates. */
  private async handleMessage(): Promise<boolean> {
    const { type, body } = await readMessage(this.reader);
    if (type === 'X') return false;
    if (this.skipUntilSync && type !== 'S') return true;
    const reader = new BodyReader(body);
    try {
      switch (type) {
        case 'Q':
          await this.simpleQuery(reader.cstring());
          return true;
        case 'P':
          this.parse(reader);
          break;
        case 'B':
          this.bind(reader);
          break;
        case 'D':
          await this.describe(reader);
          break;
        case 'E':
          await this.execute(reader);
          break;
        case 'C': {
          const kind = String.fromCharCode(reader.byte());
          const name = reader.cstring();
          if (kind === 'S') this.statements.delete(name);
          else this.portals.delete(name);
          this.send(closeComplete());
          break;
        }
        case 'S':
          this.skipUntilSync = false;
          this.portals.delete('');
          this.ready();
          return true;
        case 'H':
          this.flush();
          return true;
        case 'p':
          throw new MalformedMessageError('password message outside authentication');
        default:
          throw new MalformedMessageError(`unknown message type '${type}'`);
      }
    } catch (error) {
      if (error instanceof MalformedMessageError) throw error;
      this.send(errorFor(asTesseraError(error)));
      this.skipUntilSync = true;
      this.flush();
    }
    return true;
  }

  private async simpleQuery(sql: string): Promise<void> {
    if (/^[\s;]*$/.test(sql)) {
      this.send(emptyQueryResponse());
      this.ready();
      return;
    }
    const query = sql.trim();
    const fixture = fixtureAnswer(query);
    try {
      if (fixture) {
        this.sendFixture(fixture, [], true);
      } else {
        for (const result of await this.session.run(query)) this.sendResult(result, [], true);
      }
    } catch (error) {
      this.send(errorFor(asTesseraError(error)));
    }
    this.ready();
  }

  private sendFixture(fixture: FixtureAnswer, formats: number[], describe: boolean): void {
    if (fixture.kind === 'setting') {
      this.sendResult(fixtureRows(fixture), formats, describe);
      return;
    }
    if (fixture.warning) this.send(noticeResponse('01000', fixture.warning));
    if (fixture.transaction) this.inTransaction = fixture.transaction === 'begin';
    this.send(commandComplete(fixture.tag));
  }

  /** A result's messages: RowDescription (when `describe`), DataRows and CommandComplete. */
  private sendResult(result: WireResult, formats: number[], describe: boolean): void {
    if (result.kind === 'affected') {
      this.send(commandComplete(`OK ${result.count}`));
      return;
    }
    if (result.kind === 'empty') {
      if (describe) this.send(rowDescription([]));
      this.send(commandComplete('SELECT 0'));
      return;
    }
    const columnFormats = result.columns.map((_, i) => formatFor(formats, i));
    if (describe) this.send(this.rowDescriptionOf(result, formats));
    const offset = this.session.offsetMinutes();
    for (const row of result.rows) {
      this.send(
        dataRow(
          result.columns.map((column, i) =>
            columnFormats[i] === 1 ? binaryValue(column, row[i], offset) : textValue(column, row[i], offset),
          ),
        ),
      );
    }
    this.send(commandComplete(`SELECT ${result.rows.length}`));
  }

  private rowDescriptionOf(result: WireRows, formats: number[]): Buffer {
    return rowDescription(
      result.columns.map((column, i) => {
        const oid = oidOf(column);
        return { name: column.name, oid, size: typeSizeOf(oid), format: formatFor(formats, i) };
      }),
    );
  }

  private parse(reader: BodyReader): void {
    const name = reader.cstring();
    const query = reader.cstring();
    const count = reader.int16();
    const declared: number[] = [];
    for (let i = 0; i < count; i++) declared.push(reader.int32());
    const fixture = fixtureAnswer(query.trim());
    const prepared = fixture || /^[\s;]*$/.test(query) ? null : prepareSql(query);
    const parameterCount = Math.max(prepared?.parameterCount ?? 0, declared.length);
    const paramTypes = Array.from({ length: parameterCount }, (_, i) => declared[i] ?? 0);
    this.statements.set(name, { prepared, paramTypes, ...(fixture ? { fixture } : {}) });
    this.send(parseComplete());
  }

  private bind(reader: BodyReader): void {
    const portalName = reader.cstring();
    const statementName = reader.cstring();
    const statement = this.statements.get(statementName);
    if (!statement) {
      throw new TesseraError(ErrorCode.InvalidArguments, `Prepared statement "${statementName}" does not exist`);
    }
    const formatCount = reader.int16();
    const paramFormats: number[] = [];
    for (let i = 0; i < formatCount; i++) paramFormats.push(reader.int16());
    const paramCount = reader.int16();
    const literals: string[] = [];
    for (let i = 0; i < paramCount; i++) {
      const length = reader.int32();
      const raw = length < 0 ? null : Buffer.from(reader.bytes(length));
      const format = formatFor(paramFormats, i);
      literals.push(sqlLiteral(decodeParam(i, statement.paramTypes[i] ?? 0, format, raw)));
    }
    const resultCount = reader.int16();
    const resultFormats: number[] = [];
    for (let i = 0; i < resultCount; i++) resultFormats.push(reader.int16());
    const sql = statement.prepared ? bindSql(statement.prepared, literals) : null;
    this.portals.set(portalName, { statement, sql, resultFormats });
    this.send(bindComplete());
  }

  private async portalResults(portal: Portal): Promise<WireResult[]> {
    if (portal.sql === null) return [];
    portal.results ??= await this.session.run(portal.sql);
    return portal.results;
  }

  private async describe(reader: BodyReader): Promise<void> {
    const kind = String.fromCharCode(reader.byte());
    const name = reader.cstring();
    if (kind === 'S') {
      const statement = this.statements.get(name);
      if (!statement) throw new TesseraError(ErrorCode.InvalidArguments, `Prepared statement "${name}" does not exist`);
      this.send(parameterDescription(statement.paramTypes.map((oid) => oid || Oid.text)));
      const result = await this.describeStatement(statement);
      this.send(result ? this.rowDescriptionOf(result, []) : noData());
      return;
    }
    const portal = this.portals.get(name);
    if (!portal) throw new TesseraError(ErrorCode.InvalidArguments, `Portal "${name}" does not exist`);
    const fixture = portal.statement.fixture;
    if (fixture) {
      this.send(
        fixture.kind === 'setting' ? this.rowDescriptionOf(fixtureRows(fixture), portal.resultFormats) : noData(),
      );
      return;
    }
    const result = (await this.portalResults(portal))[0];
    this.send(result?.kind === 'rows' ? this.rowDescriptionOf(result, portal.resultFormats) : noData());
  }

  /** The columns of a read-only statement, learned by running it with NULL parameters. */
  private async describeStatement(statement: Statement): Promise<WireRows | undefined> {
    const prepared = statement.prepared;
    if (!prepared || !readOnlyKinds.has(prepared.statement.kind)) return undefined;
    try {
      const nulls = Array.from({ length: prepared.parameterCount }, () => 'NULL');
      const [result] = await this.session.runPrepared(prepared, nulls);
      return result?.kind === 'rows' ? { ...result, rows: [] } : undefined;
    } catch {
      return undefined;
    }
  }

  private async execute(reader: BodyReader): Promise<void> {
    const name = reader.cstring();
    reader.int32();
    const portal = this.portals.get(name);
    if (!portal) throw new TesseraError(ErrorCode.InvalidArguments, `Portal "${name}" does not exist`);
    if (portal.statement.fixture) {
      this.sendFixture(portal.statement.fixture, portal.resultFormats, false);
      return;
    }
    if (portal.sql === null) {
      this.send(emptyQueryResponse());
      return;
    }
    const results = await this.portalResults(portal);
    portal.results = undefined;
    for (const result of results) this.sendResult(result, portal.resultFormats, false);
  }
}

function fixtureRows(fixture: FixtureAnswer & { kind: 'setting' }): WireRows {
  return rowsResult([fixture.name], [[fixture.value]]);
}

/** The format of column or parameter `i`: none given is text, one applies to all. */
function formatFor(formats: number[], i: number): number {
  if (formats.length === 0) return 0;
  return formats.length === 1 ? formats[0]! : (formats[i] ?? 0);
}
