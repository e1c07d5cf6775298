/**
 * The rpc methods one leader term serves. The rpc server keeps one route per method for the
 * life of the process, but what answers (registry, DDL queue, leases) is rebuilt each time this
 * metasrv becomes leader; so a term's `serve*` functions register here, as if on the server,
 * and `LeaderMethods` routes each call to the current term's handler.
 */
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { CallContext, RpcServer, StreamHandler, StreamMethod, UnaryHandler, UnaryMethod } from '../rpc/index.ts';

/** What `serveTables` / `serveMigrations` need of a server. */
export type MethodTable = Pick<RpcServer, 'handle' | 'handleStream'>;

type TermRoute =
  | { kind: 'unary'; method: UnaryMethod<unknown, unknown>; handler: UnaryHandler<unknown, unknown> }
  | { kind: 'stream'; method: StreamMethod<unknown, unknown>; handler: StreamHandler<unknown, unknown> };

/** The handlers of one term, registered like an RpcServer's. */
export class TermMethods implements MethodTable {
  readonly routes = new Map<string, TermRoute>();

  handle<Req, Res>(method: UnaryMethod<Req, Res>, handler: UnaryHandler<Req, Res>): void {
    this.add({ kind: 'unary', method, handler } as TermRoute);
  }

  handleStream<Req, Item>(method: StreamMethod<Req, Item>, handler: StreamHandler<Req, Item>): void {
    this.add({ kind: 'stream', method, handler } as TermRoute);
  }

  private add(route: TermRoute): void {
    if (this.routes.has(route.method.name)) {
      throw new TesseraError(ErrorCode.InvalidArguments, `Rpc method "${route.method.name}" is already served`);
    }
    this.routes.set(route.method.name, route);
  }
}

/** What a forwarded call runs against: the current term's methods and a signal that aborts when it ends. */
export interface ServingTerm {
  readonly methods: TermMethods;
  readonly ended: AbortSignal;
}

/**
 * Puts one forwarding route on the server per method any term serves (the first term adds
 * them; later terms serve the same set). The server's `admit` gate has refused the call
 * already when there is no term; `current` is asked again here for the race with a step-down.
 */
export class LeaderMethods {
  private readonly server: RpcServer;
  private readonly current: () => ServingTerm;
  private readonly forwarded = new Set<string>();

  constructor(server: RpcServer, current: () => ServingTerm) {
    this.server = server;
    this.current = current;
  }

  /** Makes every method of `methods` reachable on the server. */
  expose(methods: TermMethods): void {
    for (const route of methods.routes.values()) {
      const name = route.method.name;
      if (this.forwarded.has(name)) continue;
      this.forwarded.add(name);
      if (route.kind === 'unary') {
        this.server.handle(route.method, (request, context) => {
          const term = this.current();
          return this.routeOf(term, name, 'unary').handler(request, context);
        });
      } else {
        this.server.handleStream(route.method, (request, context) => {
          const term = this.current();
          const handler = this.routeOf(term, name, 'stream').handler;
          // A stream (the catalog watch) ends with the term, so its caller subscribes to the next leader.
          const signal = AbortSignal.any([context.signal, term.ended]);
          const termContext: CallContext = { ...context, signal };
          return handler(request, termContext);
        });
      }
    }
  }

  private routeOf<K extends TermRoute['kind']>(
    term: ServingTerm,
    name: string,
    kind: K,
  ): Extract<TermRoute, { kind: K }> {
    const route = term.methods.routes.get(name);
    if (route?.kind !== kind) {
      throw new TesseraError(ErrorCode.UnknownMethod, `Unknown rpc method "${name}" in this leader term`);
    }
    return route as Extract<TermRoute, { kind: K }>;
  }
}
