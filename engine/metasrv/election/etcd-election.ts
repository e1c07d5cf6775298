/**
 * Leader election on etcd (GreptimeDB's `election/etcd.rs`, in our own terms). Each metasrv
 * holds an etcd lease of `ttlSeconds` and renews it every third of that. Whoever creates
 * `__meta/election/leader` under its lease (a transaction: create only if absent) leads until
 * that lease ends; the others read the key to name the leader and try again once it is gone.
 * Each metasrv also keeps `__meta/election/member/<addr>` under its lease, so every live
 * metasrv is listed (information_schema.cluster_info).
 *
 * Safety: this process counts its lease from when it *sent* the grant or keep-alive that
 * etcd answered, so it always believes the lease ends before etcd does; it stops leading a
 * margin before that, even with etcd unreachable and nothing else said. Another metasrv can
 * only create the key after etcd expired or revoked the lease, which is later. So there is
 * never a moment with two leaders (docs/process-model.md, "metasrv leader election").
 */
import { EtcdLeaseInvalidError } from 'etcd3';
import type { Lease, Namespace } from 'etcd3';
import { asTesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import type { LeaderElection, MetasrvMember } from './leader-election.ts';

export const leaderKey = '__meta/election/leader';
export const memberPrefix = '__meta/election/member/';

export interface EtcdElectionOptions {
  /** The etcd lease's TTL. Default 3 s: a dead leader is replaced well inside a datanode's 10 s lease. */
  ttlSeconds?: number;
  /** How often a follower looks for a vacant lead (and the lease is checked). Default 250 ms. */
  pollMs?: number;
  logger: Logger;
}

export class EtcdLeaderElection implements LeaderElection {
  private readonly scope: Namespace;
  private readonly self: MetasrvMember;
  private readonly logger: Logger;
  private readonly ttlMs: number;
  private readonly pollMs: number;
  /** Stop leading this long before the lease could lapse: covers a late timer and clock granularity. */
  private readonly marginMs: number;
  private lease: Lease | undefined;
  /** Bumped with each new lease, so answers about an old one are ignored. */
  private leaseGeneration = 0;
  /** Epoch ms until which etcd surely still holds this process's lease. */
  private validUntil = 0;
  private lastRenewalSentAt = 0;
  private renewing = false;
  private leadingNow = false;
  private seenLeader: string | undefined;
  private round: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private onChange: (leading: boolean) => void = () => {};
  private stopped = false;

  constructor(scope: Namespace, self: MetasrvMember, options: EtcdElectionOptions) {
    this.scope = scope;
    this.self = self;
    this.logger = options.logger;
    this.ttlMs = (options.ttlSeconds ?? 3) * 1000;
    this.pollMs = options.pollMs ?? 250;
    this.marginMs = Math.min(500, this.ttlMs / 4);
  }

  /** True only while the lease surely holds, checked at the moment of asking. */
  get leading(): boolean {
    return this.leadingNow && Date.now() < this.validUntil - this.marginMs;
  }

  async start(onChange: (leading: boolean) => void): Promise<void> {
    this.onChange = onChange;
    await this.campaignOnce();
    this.timer = setInterval(() => this.tick(), this.pollMs);
    this.timer.unref();
  }

  leaderAddr(): string | undefined {
    return this.leading ? this.self.addr : this.seenLeader;
  }

  async members(): Promise<MetasrvMember[]> {
    const values = await this.scope.getAll().prefix(memberPrefix).strings();
    const members = Object.values(values).map((value) => JSON.parse(value) as MetasrvMember);
    if (!members.some((member) => member.addr === this.self.addr)) members.push(this.self);
    return members.sort((a, b) => a.addr.localeCompare(b.addr));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.stepDown('stopping');
    await this.dropLease();
  }

  private tick(): void {
    if (this.stopped) return;
    if (this.leadingNow && !this.leading) {
      this.stepDown(`its etcd lease was not renewed in time (sure until ${new Date(this.validUntil).toISOString()})`);
      void this.dropLease();
    }
    if (this.lease && !this.renewing && Date.now() - this.lastRenewalSentAt >= this.ttlMs / 3) void this.renew();
    if (!this.leadingNow) void this.campaignOnce();
  }

  /** One round: hold a lease, then lead if the lead is vacant, else note who leads. Never two at once. */
  private campaignOnce(): Promise<void> {
    this.round ??= this.campaign()
      .catch((error: unknown) => this.logger.warn('metasrv.election.round-failed', { error: asTesseraError(error) }))
      .finally(() => (this.round = undefined));
    return this.round;
  }

  private async campaign(): Promise<void> {
    if (this.stopped || this.leadingNow) return;
    const lease = this.lease ?? (await this.grantLease());
    const generation = this.leaseGeneration;
    const leaseId = await lease.grant();
    const result = await this.scope
      .if(leaderKey, 'Create', '==', 0)
      .then(this.scope.put(leaderKey).value(JSON.stringify(this.self)).lease(leaseId))
      .else(this.scope.get(leaderKey))
      .commit();
    if (this.stopped || generation !== this.leaseGeneration) return;
    if (result.succeeded) {
      this.leadingNow = true;
      this.seenLeader = this.self.addr;
      this.logger.info('metasrv.leader.elected', { addr: this.self.addr, leaseId });
      this.onChange(true);
      // Elected on a lease already near its end: step down now rather than lead on borrowed time.
      if (!this.leading) this.tick();
      return;
    }
    const current = result.responses[0]?.response_range?.kvs?.[0]?.value;
    const leader = current === undefined ? undefined : (JSON.parse(current.toString('utf8')) as MetasrvMember).addr;
    // Our own key from a lease we gave up is not a leader: it vanishes when that lease ends.
    const named = leader === this.self.addr ? undefined : leader;
    if (named !== this.seenLeader) this.logger.info('metasrv.leader.seen', { leader: named ?? null });
    this.seenLeader = named;
  }

  private async grantLease(): Promise<Lease> {
    const sentAt = Date.now();
    const lease = this.scope.lease(this.ttlMs / 1000, { autoKeepAlive: false });
    this.lease = lease;
    const generation = ++this.leaseGeneration;
    this.renewing = false;
    this.lastRenewalSentAt = sentAt;
    try {
      await lease.grant();
      if (generation === this.leaseGeneration) this.validUntil = sentAt + this.ttlMs;
      await lease.put(memberPrefix + this.self.addr).value(JSON.stringify(this.self));
    } catch (error) {
      if (generation === this.leaseGeneration) this.lease = undefined;
      throw error;
    }
    return lease;
  }

  /** One keep-alive; the lease then surely holds until the send time plus the TTL etcd answered. */
  private async renew(): Promise<void> {
    const lease = this.lease!;
    const generation = this.leaseGeneration;
    const sentAt = Date.now();
    this.renewing = true;
    this.lastRenewalSentAt = sentAt;
    try {
      const answer = await withTimeout(lease.keepaliveOnce(), this.ttlMs);
      if (generation !== this.leaseGeneration) return;
      const ttlMs = Number(answer.TTL) * 1000;
      this.validUntil = Math.max(this.validUntil, sentAt + ttlMs);
    } catch (error) {
      if (generation !== this.leaseGeneration) return;
      if (error instanceof EtcdLeaseInvalidError) {
        this.stepDown('etcd says its lease has ended');
        await this.dropLease();
      } else {
        // The next tick steps down if no renewal lands before the lease could lapse.
        this.logger.warn('metasrv.election.renew-failed', { error: asTesseraError(error) });
      }
    } finally {
      if (generation === this.leaseGeneration) this.renewing = false;
    }
  }

  private stepDown(reason: string): void {
    if (!this.leadingNow) return;
    this.leadingNow = false;
    this.seenLeader = undefined;
    this.logger.warn('metasrv.leader.stepped-down', { addr: this.self.addr, reason });
    this.onChange(false);
  }

  /** Gives the lease up (its keys go with it), so the next round starts on a fresh one. */
  private async dropLease(): Promise<void> {
    const lease = this.lease;
    if (lease === undefined) return;
    this.lease = undefined;
    this.leaseGeneration++;
    this.validUntil = 0;
    await withTimeout(lease.revoke(), 2000).catch((error: unknown) =>
      this.logger.debug('metasrv.election.revoke-failed', { error: asTesseraError(error) }),
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`etcd did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
