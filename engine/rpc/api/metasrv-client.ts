/**
 * A node's client for metasrv when several metasrvs share etcd and one of them leads
 * (docs/process-model.md, "metasrv leader election"). It is an `RpcClient` (everything that
 * takes one takes this) over one `RpcClient` per metasrv address, sending each call to the
 * one it believes leads:
 *
 * - a follower refuses with `MetasrvNotLeader` naming the leader: the call goes there;
 * - no leader elected yet, or an address that does not answer (`ConnectionRefused`: the
 *   request never left): the next address, pausing briefly once every address was tried;
 * - a connection lost with the call in flight (`ConnectionLost`): the outcome is unknown, so
 *   the error goes to the caller (it is retryable) and the next call starts at the next address.
 *
 * A stream is redirected the same way until its first item; after that an error ends it, and
 * its consumer starts a new one (the frontend's catalog watch does), which finds the leader.
 * With one address this behaves like a plain `RpcClient` that also follows redirects.
 */
import { ErrorCode, TesseraError, asTesseraError, createLogger } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { RpcClient } from '../rpc-client.ts';
import type { CallOptions, ConnectionStateEvent, StreamOptions } from '../rpc-client.ts';
import type { StreamMethod, UnaryMethod } from '../method.ts';
import { leaderNamedIn, parseMetasrvAddresses } from './metasrv-leader.ts';

export interface MetasrvClientOptions {
  /** `ws://a:3002,ws://b:3002`, or a list: every metasrv of the cluster (one is enough to find the leader). */
  addresses: string | readonly string[];
  token: string;
  logger?: Logger;
  /** How long a call without a deadline keeps looking for a leader before it fails. Default 15 000 ms. */
  failoverWaitMs?: number;
}

/** How long to wait before trying again once every address was tried without finding a leader. */
const leaderlessPauseMs = 250;

export class MetasrvClient extends RpcClient {
  /** The configured addresses, in order. */
  readonly addresses: readonly string[];
  private readonly clients = new Map<string, RpcClient>();
  private readonly clusterToken: string;
  private readonly log: Logger;
  private readonly failoverWaitMs: number;
  private readonly stateListeners = new Set<(event: ConnectionStateEvent) => void>();
  private leaderGuess: string;
  private shut = false;

  constructor(options: MetasrvClientOptions) {
    const addresses =
      typeof options.addresses === 'string'
        ? parseMetasrvAddresses(options.addresses)
        : parseMetasrvAddresses(options.addresses.join(','));
    // The base class only names the client here; every call goes through the per-address clients.
    super({ url: addresses.join(','), token: options.token, ...(options.logger ? { logger: options.logger } : {}) });
    this.addresses = addresses;
    this.clusterToken = options.token;
    this.log = options.logger ?? createLogger({ role: 'rpc' });
    this.failoverWaitMs = options.failoverWaitMs ?? 15_000;
    this.leaderGuess = addresses[0]!;
  }

  /** The address calls go to now: the leader, as far as this client knows. */
  get leaderAddress(): string {
    return this.leaderGuess;
  }

  override get connected(): boolean {
    return this.clientFor(this.leaderGuess).connected;
  }

  override onStateChange(listener: (event: ConnectionStateEvent) => void): () => void {
    this.stateListeners.add(listener);
    const removers = [...this.clients.values()].map((client) => client.onStateChange(listener));
    return () => {
      this.stateListeners.delete(listener);
      for (const remove of removers) remove();
    };
  }

  override async connect(): Promise<void> {
    await this.clientFor(this.leaderGuess).connect();
  }

  override async call<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, options: CallOptions = {}): Promise<Res> {
    const started = Date.now();
    const giveUpAt = started + (options.deadlineMs ?? this.failoverWaitMs);
    for (let tries = 1; ; tries++) {
      const address = this.leaderGuess;
      const remaining = options.deadlineMs === undefined ? undefined : started + options.deadlineMs - Date.now();
      try {
        return await this.clientFor(address).call(method, request, {
          ...options,
          ...(remaining === undefined ? {} : { deadlineMs: Math.max(1, remaining) }),
        });
      } catch (error) {
        const failure = asTesseraError(error);
        if (!this.redirect(address, failure) || Date.now() >= giveUpAt || options.signal?.aborted) throw failure;
        await this.pauseIfLeaderless(failure, tries, giveUpAt);
      }
    }
  }

  override stream<Req, Item>(
    method: StreamMethod<Req, Item>,
    request: Req,
    options: StreamOptions = {},
  ): AsyncIterable<Item> {
    return { [Symbol.asyncIterator]: () => this.followLeader(method, request, options) };
  }

  override async close(): Promise<void> {
    this.shut = true;
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    await super.close();
  }

  private async *followLeader<Req, Item>(
    method: StreamMethod<Req, Item>,
    request: Req,
    options: StreamOptions,
  ): AsyncGenerator<Item, void, undefined> {
    const giveUpAt = Date.now() + (options.deadlineMs ?? this.failoverWaitMs);
    for (let tries = 1; ; tries++) {
      const address = this.leaderGuess;
      const iterator = this.clientFor(address).stream(method, request, options)[Symbol.asyncIterator]();
      let first: IteratorResult<Item>;
      try {
        first = await iterator.next();
      } catch (error) {
        const failure = asTesseraError(error);
        if (!this.redirect(address, failure) || Date.now() >= giveUpAt || options.signal?.aborted) throw failure;
        await this.pauseIfLeaderless(failure, tries, giveUpAt);
        continue;
      }
      if (first.done) return;
      try {
        yield first.value;
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          yield next.value;
        }
      } catch (error) {
        const failure = asTesseraError(error);
        this.redirect(address, failure);
        throw failure;
      } finally {
        await iterator.return?.();
      }
    }
  }

  /**
   * Moves `current` on after `failure` at `address`; true when the call may be sent again
   * (it never ran: refused by a follower, or the address did not answer).
   */
  private redirect(address: string, failure: TesseraError): boolean {
    if (this.shut) return false;
    if (failure.code === ErrorCode.MetasrvNotLeader) {
      const leader = leaderNamedIn(failure);
      this.moveTo(address, leader ?? this.after(address));
      return true;
    }
    if (failure.code === ErrorCode.ConnectionRefused) {
      this.moveTo(address, this.after(address));
      return true;
    }
    if (failure.code === ErrorCode.ConnectionLost) this.moveTo(address, this.after(address));
    return false;
  }

  private moveTo(from: string, to: string): void {
    // Another call may have found the leader meanwhile; only move on from where this one went.
    if (this.leaderGuess !== from || from === to) return;
    this.leaderGuess = to;
    this.log.info('metasrv.client.switched', { from, to });
  }

  /** The configured address after `address` (the first one for an address learnt from a redirect). */
  private after(address: string): string {
    const at = this.addresses.indexOf(address);
    return this.addresses[(at + 1) % this.addresses.length]!;
  }

  private async pauseIfLeaderless(failure: TesseraError, tries: number, giveUpAt: number): Promise<void> {
    const leaderless = failure.code === ErrorCode.MetasrvNotLeader && leaderNamedIn(failure) === undefined;
    if (!leaderless && tries % this.addresses.length !== 0) return;
    const pause = Math.min(leaderlessPauseMs, Math.max(0, giveUpAt - Date.now()));
    await new Promise((resolve) => setTimeout(resolve, pause));
  }

  private clientFor(address: string): RpcClient {
    let client = this.clients.get(address);
    if (client === undefined) {
      if (this.shut) throw new TesseraError(ErrorCode.ClientClosed, `Rpc client for ${this.url} is closed`);
      client = new RpcClient({
        url: address,
        token: this.clusterToken,
        logger: this.log,
        // A metasrv that went away is tried again soon: it may be the next leader.
        reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
        connectTimeoutMs: 2000,
      });
      for (const listener of this.stateListeners) client.onStateChange(listener);
      this.clients.set(address, client);
    }
    return client;
  }
}
