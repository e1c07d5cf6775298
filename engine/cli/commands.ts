/**
 * The `tessera` subcommands. Each parses its own flags (with `--help`), starts its role in
 * this process, and stops it cleanly on SIGINT/SIGTERM (a second signal exits at once).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { ErrorCode, TesseraError, createLogger } from '../common/index.ts';
import { loadOrCreateClusterToken, parseHostPort, startLocalCluster, tokenPath } from '../cluster/index.ts';
import { runDatanodeProcess } from '../datanode/index.ts';
import { Frontend, userProviderFromOption } from '../frontend/index.ts';
import { Metasrv, openKvBackend } from '../metasrv/index.ts';

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | (string | boolean)[] | undefined>): Promise<void>;
}

const help = { help: { type: 'boolean', short: 'h' } } as const;

/** Stops `stop` on the first SIGINT/SIGTERM and exits; a second signal exits immediately. */
function stopOnSignals(stop: () => Promise<void>): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) process.exit(130);
    signalled = true;
    process.stderr.write(`\n${signal}: stopping…\n`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** The token from --token-file or TESSERA_CLUSTER_TOKEN. */
async function tokenFromFlags(tokenFile: string | undefined): Promise<string | undefined> {
  if (tokenFile) {
    const token = (await readFile(tokenFile, 'utf8')).trim();
    if (!token) throw new TesseraError(ErrorCode.InvalidArguments, `Token file ${tokenFile} is empty`);
    return token;
  }
  return process.env.TESSERA_CLUSTER_TOKEN || undefined;
}

function requireToken(token: string | undefined, role: string): string {
  if (token) return token;
  throw new TesseraError(
    ErrorCode.InvalidArguments,
    `${role} needs the cluster token: pass --token-file (metasrv writes one into its data home) or set TESSERA_CLUSTER_TOKEN`,
  );
}

function str(value: string | boolean | (string | boolean)[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * A wire server's address from its flag: `off` turns it off; the default is GreptimeDB's port,
 * or a free port when the HTTP port is 0 (so test clusters never collide on 4002/4003).
 */
function wireAddr(flag: string | undefined, httpAddr: string, defaultPort: number): string | undefined {
  if (flag === 'off') return undefined;
  if (flag) return flag;
  return `127.0.0.1:${/:0$/.test(httpAddr) ? 0 : defaultPort}`;
}

const wireUsage = `  --mysql-addr HOST:PORT    MySQL wire protocol (default 127.0.0.1:4002; off to disable)
  --postgres-addr HOST:PORT PostgreSQL wire protocol (default 127.0.0.1:4003; off to disable)`;
const wireOptions = { 'mysql-addr': { type: 'string' }, 'postgres-addr': { type: 'string' } } as const;

/** The line saying where MySQL and PostgreSQL clients connect. */
function wireLine(mysqlAddr: string | undefined, postgresAddr: string | undefined): string {
  const parts = [mysqlAddr && `MySQL at ${mysqlAddr}`, postgresAddr && `PostgreSQL at ${postgresAddr}`];
  const listed = parts.filter(Boolean).join(', ');
  return listed ? `${listed}\n` : '';
}

const userProviderUsage = `  --user-provider SPEC   HTTP users, as GreptimeDB: static_user_provider:cmd:USER=PWD[,USER=PWD]
                         or static_user_provider:file:PATH (default: no authentication)`;

function usersFromFlag(spec: string | undefined): { users?: ReturnType<typeof userProviderFromOption> } {
  return spec ? { users: userProviderFromOption(spec) } : {};
}

export const commands: Record<string, Command> = {
  serve: {
    summary: 'Start a local cluster (metasrv, frontend and datanode processes) and serve the app',
    usage: `tessera serve [options]

Starts metasrv and the frontend in this process and N datanodes as child processes.
The HTTP API and the app are at http://HTTP_ADDR/. Ctrl-C stops everything.

Options:
  --data-home DIR       where data and metadata live (default ./tessera-data)
  --http-addr HOST:PORT HTTP API and app (default 127.0.0.1:4000)
${wireUsage}
  --datanodes N         number of datanode processes (default 3)
  --store URL           metadata store: embedded (default) or etcd://HOST:PORT
  --metasrv-addr HOST:PORT  metasrv rpc (default 127.0.0.1:0, a free port)
${userProviderUsage}
  -h, --help            show this help`,
    options: {
      ...help,
      'data-home': { type: 'string' },
      'http-addr': { type: 'string' },
      ...wireOptions,
      datanodes: { type: 'string' },
      store: { type: 'string' },
      'metasrv-addr': { type: 'string' },
      'user-provider': { type: 'string' },
    },
    async run(values) {
      const datanodes = values.datanodes === undefined ? 3 : Number(values.datanodes);
      if (!Number.isSafeInteger(datanodes) || datanodes < 0) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Invalid --datanodes '${String(values.datanodes)}': expected a whole number`,
        );
      }
      const dataHome = resolve(str(values['data-home']) ?? 'tessera-data');
      const httpAddr = str(values['http-addr']) ?? '127.0.0.1:4000';
      const mysqlAddr = wireAddr(str(values['mysql-addr']), httpAddr, 4002);
      const postgresAddr = wireAddr(str(values['postgres-addr']), httpAddr, 4003);
      const cluster = await startLocalCluster({
        dataHome,
        datanodes,
        httpAddr,
        ...(mysqlAddr ? { mysqlAddr } : {}),
        ...(postgresAddr ? { postgresAddr } : {}),
        ...(str(values.store) ? { store: str(values.store)! } : {}),
        ...(str(values['metasrv-addr']) ? { metasrvAddr: str(values['metasrv-addr'])! } : {}),
        ...usersFromFlag(str(values['user-provider'])),
      });
      stopOnSignals(() => cluster.stop());
      process.stdout.write(
        `Tessera is running at ${cluster.httpUrl}/ with ${datanodes} datanode${datanodes === 1 ? '' : 's'} (data in ${dataHome}). Press Ctrl-C to stop.\n` +
          wireLine(cluster.mysqlAddr, cluster.postgresAddr),
      );
    },
  },

  metasrv: {
    summary: 'Run metasrv alone (for a cluster spanning hosts)',
    usage: `tessera metasrv [options]

Options:
  --data-home DIR        metadata and the cluster token (default ./tessera-data)
  --bind-addr HOST:PORT  rpc address (default 127.0.0.1:3002)
  --advertise-addr HOST:PORT  where other hosts reach it, if not the bind address (e.g. bound to 0.0.0.0)
  --store URL            embedded (default) or etcd://HOST:PORT; on etcd, several metasrvs
                         (same etcd, same token) elect one leader and the others follow
  --token-file FILE      the cluster token (default: TESSERA_CLUSTER_TOKEN, or one created in the data home)
  -h, --help             show this help`,
    options: {
      ...help,
      'data-home': { type: 'string' },
      'bind-addr': { type: 'string' },
      'advertise-addr': { type: 'string' },
      store: { type: 'string' },
      'token-file': { type: 'string' },
    },
    async run(values) {
      const dataHome = resolve(str(values['data-home']) ?? 'tessera-data');
      const logger = createLogger({ role: 'metasrv' });
      const advertise = str(values['advertise-addr']);
      if (advertise) parseHostPort(advertise, '--advertise-addr');
      const token = (await tokenFromFlags(str(values['token-file']))) ?? (await loadOrCreateClusterToken(dataHome));
      const bind = parseHostPort(str(values['bind-addr']) ?? '127.0.0.1:3002', '--bind-addr');
      const kv = await openKvBackend(str(values.store), dataHome, logger);
      const metasrv = await Metasrv.start({
        kv,
        token,
        host: bind.host,
        port: bind.port,
        ...(advertise ? { advertiseAddr: advertise } : {}),
        logger,
      });
      stopOnSignals(() => metasrv.stop());
      process.stdout.write(
        `metasrv is listening at ${metasrv.url}${metasrv.leading ? ' (leader)' : ' (follower)'}\nOther roles take the cluster token with --token-file ${tokenPath(dataHome)} or TESSERA_CLUSTER_TOKEN\n`,
      );
    },
  },

  frontend: {
    summary: 'Run a frontend that joins a metasrv',
    usage: `tessera frontend --metasrv ws://HOST:PORT [options]

Options:
  --metasrv URL[,URL]    metasrv's rpc address, or every metasrv's (they follow the leader) (required)
  --http-addr HOST:PORT  HTTP API and app (default 127.0.0.1:4000)
${wireUsage}
  --data-home DIR        where the frontend keeps its node id (optional)
  --token-file FILE      the cluster token (or set TESSERA_CLUSTER_TOKEN)
${userProviderUsage}
  -h, --help             show this help`,
    options: {
      ...help,
      metasrv: { type: 'string' },
      'user-provider': { type: 'string' },
      'http-addr': { type: 'string' },
      ...wireOptions,
      'data-home': { type: 'string' },
      'token-file': { type: 'string' },
    },
    async run(values) {
      const metasrvUrl = str(values.metasrv);
      if (!metasrvUrl) throw new TesseraError(ErrorCode.InvalidArguments, 'frontend needs --metasrv ws://HOST:PORT');
      const token = requireToken(await tokenFromFlags(str(values['token-file'])), 'frontend');
      const httpAddr = str(values['http-addr']) ?? '127.0.0.1:4000';
      const http = parseHostPort(httpAddr, '--http-addr');
      const mysqlAddr = wireAddr(str(values['mysql-addr']), httpAddr, 4002);
      const postgresAddr = wireAddr(str(values['postgres-addr']), httpAddr, 4003);
      const dataHome = str(values['data-home']);
      const frontend = await Frontend.start({
        metasrvUrl,
        token,
        httpHost: http.host,
        httpPort: http.port,
        ...(mysqlAddr ? { mysqlAddr: parseHostPort(mysqlAddr, '--mysql-addr') } : {}),
        ...(postgresAddr ? { postgresAddr: parseHostPort(postgresAddr, '--postgres-addr') } : {}),
        ...(dataHome ? { dataHome: resolve(dataHome) } : {}),
        ...usersFromFlag(str(values['user-provider'])),
      });
      stopOnSignals(() => frontend.stop());
      process.stdout.write(
        `frontend is serving ${frontend.httpUrl}/\n` + wireLine(frontend.mysqlAddr, frontend.postgresAddr),
      );
    },
  },

  datanode: {
    summary: 'Run a datanode that joins a metasrv',
    usage: `tessera datanode --metasrv ws://HOST:PORT --data-home DIR [options]

Options:
  --metasrv URL[,URL]    metasrv's rpc address, or every metasrv's (they follow the leader) (required)
  --data-home DIR        the datanode's own directory: its id, WAL and caches (required)
  --bind-addr HOST:PORT  rpc address (default 127.0.0.1:0, a free port)
  --advertise-addr HOST:PORT  where other hosts reach it, if not the bind address (e.g. bound to 0.0.0.0)
  --object-store URL     region files: a directory shared by the datanodes, or
                         s3://BUCKET/PREFIX?endpoint=URL&region=R (credentials from AWS_* variables)
                         (default DATA_HOME/object-store, which no other datanode sees)
  --token-file FILE      the cluster token (or set TESSERA_CLUSTER_TOKEN)
  -h, --help             show this help`,
    options: {
      ...help,
      metasrv: { type: 'string' },
      'data-home': { type: 'string' },
      'bind-addr': { type: 'string' },
      'advertise-addr': { type: 'string' },
      'object-store': { type: 'string' },
      'token-file': { type: 'string' },
    },
    async run(values) {
      const metasrvUrl = str(values.metasrv);
      const dataHome = str(values['data-home']);
      if (!metasrvUrl || !dataHome) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          'datanode needs --metasrv ws://HOST:PORT and --data-home DIR',
        );
      }
      const token = requireToken(await tokenFromFlags(str(values['token-file'])), 'datanode');
      const bind = parseHostPort(str(values['bind-addr']) ?? '127.0.0.1:0', '--bind-addr');
      const objectStore = str(values['object-store']);
      const advertise = str(values['advertise-addr']);
      if (advertise) parseHostPort(advertise, '--advertise-addr');
      await runDatanodeProcess({
        metasrvUrl,
        dataHome: resolve(dataHome),
        token,
        host: bind.host,
        port: bind.port,
        ...(advertise ? { advertiseAddr: advertise } : {}),
        ...(objectStore ? { objectStore } : {}),
      });
    },
  },
};
