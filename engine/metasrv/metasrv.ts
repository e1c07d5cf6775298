/**
 * The metasrv: the cluster's registry of nodes, its tables and their routes (`catalog/`), and
 * procedures. It serves rpc on a WebSocket. With etcd several metasrvs run and one leads
 * (`election/`); only the leader answers heartbeats with leases, runs DDL and procedures and
 * marks nodes down (`leader-term.ts`, rebuilt each time it becomes leader). A follower refuses
 * those calls with `MetasrvNotLeader` naming the leader, and answers `clusterInfo` by asking it.
 */
import { ErrorCode, TesseraError, asTesseraError, createLogger } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import { RpcClient, RpcServer, clusterInfo, notLeaderError } from '../rpc/index.ts';
import type { ClusterInfoResponse, NodeInfo } from '../rpc/index.ts';
import { EtcdLeaderElection } from './election/etcd-election.ts';
import { SoleLeader, selfMember } from './election/leader-election.ts';
import type { LeaderElection, MetasrvMember } from './election/leader-election.ts';
import { EtcdKvBackend } from './kv/index.ts';
import type { KvBackend } from './kv/index.ts';
import { LeaderTerm } from './leader-term.ts';
import type { LeaderTermSettings } from './leader-term.ts';
import { NodeRegistry } from './node-registry.ts';
import type { NodeEvent } from './node-registry.ts';
import { LeaderMethods } from './term-methods.ts';

export interface MetasrvOptions {
  kv: KvBackend;
  /** The cluster token every node presents in its rpc handshake. */
  token: string;
  host?: string;
  /** 0 picks a free port. Default 3002, GreptimeDB's. */
  port?: number;
  /**
   * host:port where other processes reach this metasrv, when not the bound address (bound to
   * 0.0.0.0, say): followers name the leader by it, and cluster_info lists it.
   */
  advertiseAddr?: string;
  /** How often nodes should heartbeat. Default 2000 ms. */
  heartbeatIntervalMs?: number;
  /** How long a heartbeat keeps a node alive. Default 5 heartbeat intervals. */
  leaseMs?: number;
  /** On etcd: the TTL of the lease that holds the lead. Default 3 s. */
  electionTtlSeconds?: number;
  logger?: Logger;
}

export class Metasrv {
  readonly url: string;
  /** The metadata store (tests rewrite routes in it directly). */
  readonly kv: KvBackend;
  private readonly server: RpcServer;
  private readonly self: MetasrvMember;
  private readonly election: LeaderElection;
  private readonly settings: LeaderTermSettings;
  private readonly logger: Logger;
  private readonly methods: LeaderMethods;
  private readonly nodeListeners = new Set<(event: NodeEvent) => void>();
  /** Clients to the leader, for a follower's `clusterInfo`. */
  private readonly leaderClients = new Map<string, RpcClient>();
  private term: LeaderTerm | undefined;
  /** Term changes, one after another. */
  private termChange: Promise<void> = Promise.resolve();
  /** The end of the last term, which `stop` waits for. */
  private termEnding: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(server: RpcServer, self: MetasrvMember, election: LeaderElection, settings: LeaderTermSettings) {
    this.server = server;
    this.url = self.addr;
    this.self = self;
    this.election = election;
    this.settings = settings;
    this.kv = settings.kv;
    this.logger = settings.logger;
    this.methods = new LeaderMethods(server, () => {
      const term = this.term;
      if (term === undefined || !this.election.leading) throw this.refusal('a leader-only method');
      return term;
    });
  }

  static async start(options: MetasrvOptions): Promise<Metasrv> {
    const logger = options.logger ?? createLogger({ role: 'metasrv' });
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 2000;
    const leaseMs = options.leaseMs ?? heartbeatIntervalMs * 5;
    // Set once constructed; calls that arrive before are refused like a follower's.
    const serving: { metasrv?: Metasrv } = {};
    const server = await RpcServer.listen({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 3002,
      token: options.token,
      logger,
      // Followers answer clusterInfo only; everything else needs the leader's state.
      admit: (method) => {
        if (method === clusterInfo.name) return;
        if (serving.metasrv === undefined) throw notLeaderError(`this metasrv (${server.url})`, method, undefined);
        serving.metasrv.admit(method);
      },
    });
    const self = selfMember(options.advertiseAddr ? `ws://${options.advertiseAddr}` : server.url, Date.now());
    const kv = options.kv;
    const election =
      kv instanceof EtcdKvBackend
        ? new EtcdLeaderElection(kv.leaseScope(), self, {
            logger,
            ...(options.electionTtlSeconds === undefined ? {} : { ttlSeconds: options.electionTtlSeconds }),
          })
        : new SoleLeader(self);
    const started = new Metasrv(server, self, election, {
      kv,
      token: options.token,
      logger,
      heartbeatIntervalMs,
      leaseMs,
    });
    serving.metasrv = started;
    server.handle(clusterInfo, async ({ local }) => started.clusterInfo(local === true));
    try {
      await election.start((leading) => started.leadershipChanged(leading));
      // A metasrv that leads from the start serves its first heartbeat with region leases.
      await started.termChange;
    } catch (error) {
      await server.close();
      throw error;
    }
    logger.info('metasrv.started', {
      url: server.url,
      store: kv.name,
      leaseMs,
      heartbeatIntervalMs,
      leader: election.leaderAddr() ?? null,
    });
    return started;
  }

  /** Whether this metasrv leads and serves as leader now. */
  get leading(): boolean {
    return this.term !== undefined && this.election.leading;
  }

  /** The leader's node registry; throws `MetasrvNotLeader` on a follower. */
  get registry(): NodeRegistry {
    const term = this.term;
    if (term === undefined || !this.election.leading) throw this.refusal('registry');
    return term.registry;
  }

  /** Subscribes to node up/down events (of every term this metasrv leads). */
  onNodeEvent(listener: (event: NodeEvent) => void): () => void {
    this.nodeListeners.add(listener);
    const unsubscribe = this.term?.registry.onEvent(listener);
    return () => {
      this.nodeListeners.delete(listener);
      unsubscribe?.();
    };
  }

  /** Stops serving, gives up the lead (so another metasrv takes it at once) and closes the store. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.election.stop();
    await this.termChange;
    this.leadershipChanged(false);
    await this.termEnding;
    await this.server.close();
    await Promise.all([...this.leaderClients.values()].map((client) => client.close()));
    await this.kv.close();
  }

  private admit(method: string): void {
    if (this.term === undefined || !this.election.leading) throw this.refusal(method);
  }

  private refusal(method: string): TesseraError {
    // Elected but still loading its state: name no leader, so the caller pauses before asking again.
    const leader = this.election.leading ? undefined : this.election.leaderAddr();
    return notLeaderError(this.url, method, leader);
  }

  private leadershipChanged(leading: boolean): void {
    if (!leading) {
      // At once, not queued behind a term still loading: a deposed leader stops acting now.
      const term = this.term;
      this.term = undefined;
      if (term !== undefined) {
        this.logger[this.stopped ? 'info' : 'warn']('metasrv.leader.term-ended', { addr: this.url });
        this.termEnding = term
          .end()
          .catch((error: unknown) => this.logger.error('metasrv.term-end-failed', { error: asTesseraError(error) }));
      }
      return;
    }
    this.termChange = this.termChange.then(() => this.beginTerm());
  }

  private async beginTerm(): Promise<void> {
    const graceFrom = this.election instanceof SoleLeader ? undefined : Date.now();
    while (!this.stopped && this.election.leading && this.term === undefined) {
      try {
        const term = await LeaderTerm.begin({ ...this.settings, ...(graceFrom === undefined ? {} : { graceFrom }) });
        if (this.stopped || !this.election.leading) {
          await term.end();
          return;
        }
        for (const listener of this.nodeListeners) term.registry.onEvent(listener);
        this.methods.expose(term.methods);
        this.term = term;
        this.logger.info('metasrv.leader.serving', { addr: this.url, graceFrom: graceFrom ?? null });
      } catch (error) {
        this.logger.error('metasrv.leader.load-failed', { error: asTesseraError(error) });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private async clusterInfo(local: boolean): Promise<ClusterInfoResponse> {
    const term = this.term;
    if (term !== undefined && this.election.leading) {
      return { nodes: [...(await this.metasrvNodes()), ...term.registry.list()] };
    }
    const leader = this.election.leaderAddr();
    if (!local && leader !== undefined && leader !== this.url) {
      try {
        return await this.leaderClient(leader).call(clusterInfo, { local: true }, { deadlineMs: 3000 });
      } catch (error) {
        this.logger.debug('metasrv.cluster-info.leader-unreachable', { leader, error: asTesseraError(error) });
      }
    }
    // No leader to ask: the registered nodes from the store, none known to be alive.
    const registry = await NodeRegistry.load(this.kv, this.logger);
    return { nodes: [...(await this.metasrvNodes()), ...registry.list()] };
  }

  /** Every metasrv taking part, the leader first. */
  private async metasrvNodes(): Promise<NodeInfo[]> {
    const members = await this.election.members().catch((error: unknown) => {
      this.logger.debug('metasrv.members-unavailable', { error: asTesseraError(error) });
      return [this.self];
    });
    const leader = this.election.leaderAddr();
    const now = Date.now();
    return members
      .map((member): NodeInfo => ({
        role: 'metasrv',
        nodeId: 0,
        addr: member.addr,
        status: 'alive',
        version: member.version,
        hostname: member.hostname,
        pid: member.pid,
        startedAt: member.startedAt,
        lastHeartbeatAt: now,
        leader: member.addr === leader,
      }))
      .sort((a, b) => Number(b.leader) - Number(a.leader));
  }

  private leaderClient(addr: string): RpcClient {
    let client = this.leaderClients.get(addr);
    if (client === undefined) {
      if (this.stopped) throw new TesseraError(ErrorCode.ClientClosed, `metasrv ${this.url} is stopped`);
      client = new RpcClient({ url: addr, token: this.settings.token, logger: this.logger });
      this.leaderClients.set(addr, client);
    }
    return client;
  }
}
