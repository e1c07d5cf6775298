/**
 * Functions whose value is the session's: database() / current_schema() (the current schema),
 * timezone() (the session time zone, UTC unless the session sets one), and GreptimeDB's
 * current_database() (the catalog), session_user() / current_user() (who asks), version() (as
 * the protocol's server reports it) and read_preference(). The planner keeps
 * them as calls; `bindSessionFunctions` replaces them by constants from the query options before
 * optimization, so they fold like any literal. Evaluating one unbound is an engine bug.
 */
import { TESSERA_VERSION } from '../../common/index.ts';
import { executionError } from '../errors.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import { rewritePlanExprs } from '../optimizer/optimizer-rule.ts';
import { transformExpr } from '../plan-expr.ts';
import type { ScalarFunction } from './function.ts';
import { expectArgCount } from './helpers.ts';

/** What these functions read from the session. */
export interface SessionValues {
  schemaName: string;
  timezone: string;
  /** The catalog (`greptime`); current_database() reports it, as in GreptimeDB. */
  catalogName?: string;
  /** The protocol the statement came in by; version() answers as that server would. */
  channel?: 'http' | 'mysql' | 'postgres';
  /** The authenticated user (GreptimeDB's default user `greptime` without authentication). */
  user?: string;
  /** The session's read preference (`leader` unless SET read_preference changed it). */
  readPreference?: string;
}

/** version() as GreptimeDB words it per protocol (MySQL clients parse the leading number). */
function versionText(channel: SessionValues['channel']): string {
  if (channel === 'mysql') return `8.4.2-Tessera-${TESSERA_VERSION}`;
  if (channel === 'postgres') return `PostgreSQL 16.3 Tessera ${TESSERA_VERSION}`;
  return TESSERA_VERSION;
}

const SESSION_VALUES: Record<string, (session: SessionValues) => string> = {
  database: (session) => session.schemaName,
  current_schema: (session) => session.schemaName,
  timezone: (session) => session.timezone,
  current_database: (session) => session.catalogName ?? 'greptime',
  session_user: (session) => session.user ?? 'greptime',
  current_user: (session) => session.user ?? 'greptime',
  version: (session) => versionText(session.channel),
  read_preference: (session) => (session.readPreference ?? 'leader').toUpperCase(),
};

function sessionFunction(name: string): ScalarFunction {
  return {
    name,
    signature: `${name}() -> Utf8`,
    returnType(args) {
      expectArgCount(name, args, 0);
      return 'Utf8';
    },
    evaluate() {
      throw executionError(`${name}() was not bound to the session`);
    },
  };
}

/** Replaces session function calls in every expression of the plan by their values. */
export function bindSessionFunctions(plan: LogicalPlan, session: SessionValues): LogicalPlan {
  return rewritePlanExprs(plan, (expr) =>
    transformExpr(expr, (node) => {
      if (node.kind !== 'function' || node.args.length > 0) return node;
      const value = SESSION_VALUES[node.name];
      return value === undefined ? node : { kind: 'literal', type: 'Utf8', value: value(session) };
    }),
  );
}

/** These functions, registered by registry.ts. */
export const sessionFunctions: ScalarFunction[] = Object.keys(SESSION_VALUES).map(sessionFunction);
