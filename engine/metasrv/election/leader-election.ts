/**
 * Which metasrv leads. With the embedded store there is one metasrv, leader by definition
 * (`SoleLeader`); on etcd several campaign and one wins (`etcd-election.ts`). Only the leader
 * serves heartbeats, DDL, procedures and leases (`leader-term.ts`); see docs/process-model.md,
 * "metasrv leader election".
 */
import { hostname } from 'node:os';
import { TESSERA_VERSION } from '../../common/index.ts';

/** A metasrv taking part, as recorded for the others (`information_schema.cluster_info`). */
export interface MetasrvMember {
  /** Its rpc address, ws://host:port. */
  addr: string;
  hostname: string;
  pid: number;
  startedAt: number;
  version: string;
}

export interface LeaderElection {
  /**
   * Starts taking part; resolves once the first round is over (this metasrv leads, or knows
   * it does not). `onChange(true)` when it becomes leader, `onChange(false)` the moment it
   * stops, which is before any other can be elected.
   */
  start(onChange: (leading: boolean) => void): Promise<void>;
  /** Whether this metasrv leads right now. */
  readonly leading: boolean;
  /** The leader's address as last seen (this metasrv's own while it leads), or undefined. */
  leaderAddr(): string | undefined;
  /** Every metasrv taking part, this one included. */
  members(): Promise<MetasrvMember[]>;
  /** Stops taking part, giving up the lead at once so another can take it. */
  stop(): Promise<void>;
}

/** This process as a member. */
export function selfMember(addr: string, startedAt: number): MetasrvMember {
  return { addr, hostname: hostname(), pid: process.pid, startedAt, version: TESSERA_VERSION };
}

/** The only metasrv of a cluster without etcd: it leads from the start. */
export class SoleLeader implements LeaderElection {
  private readonly self: MetasrvMember;
  private leadingNow = false;

  constructor(self: MetasrvMember) {
    this.self = self;
  }

  get leading(): boolean {
    return this.leadingNow;
  }

  async start(onChange: (leading: boolean) => void): Promise<void> {
    this.leadingNow = true;
    onChange(true);
  }

  leaderAddr(): string | undefined {
    return this.self.addr;
  }

  async members(): Promise<MetasrvMember[]> {
    return [this.self];
  }

  async stop(): Promise<void> {
    this.leadingNow = false;
  }
}
