/**
 * Running what is in a tab and keeping its outcome: SQL statement by statement (stopping at
 * the first error), PromQL as a range query. One run per tab and cluster at a time; cancel
 * aborts the HTTP request, and the server stops the query when its client goes away. Every
 * run lands in the history.
 *
 * Runs are kept per cluster and tab: a result belongs to the cluster it came from, so after
 * switching clusters a tab shows that cluster's last result (or none), never the other's. A
 * run started before the switch finishes into its own cluster's slot.
 */
import { create } from 'zustand';
import type { Table } from 'apache-arrow';
import { useConnections } from '../connections/connections-store.ts';
import { useHistory } from '../history/history-store.ts';
import { runStatement } from '../shared/greptime-http.ts';
import type { Endpoint, StatementResult } from '../shared/greptime-http.ts';
import { runPromQuery } from './promql-run.ts';
import { errorPosition, offsetInText, splitStatements, statementAt } from './sql-statements.ts';
import type { EditorTab } from './tabs-store.ts';

export interface StatementOutcome {
  text: string;
  result: StatementResult;
}

export interface RunState {
  running: boolean;
  startedAt: number;
  outcomes: StatementOutcome[];
  /** The last table result: what the grid and chart show. */
  table?: Table;
  columnTypes?: string[];
  error?: { code: number; message: string; offset?: number; statementStart: number; statementEnd: number };
  /** The text that produced `table` (for re-running with a zoomed range). */
  lastStatement?: string;
  abort?: AbortController;
}

/** Where a run is kept: its cluster (connection id) and tab. */
export function runKey(connectionId: string, tabId: string): string {
  return `${connectionId}|${tabId}`;
}

/** The key of `tabId`'s run on the active cluster. */
function activeRunKey(tabId: string): string {
  return runKey(useConnections.getState().activeId, tabId);
}

interface RunsState {
  /** By `runKey(cluster, tab)`. */
  runs: Record<string, RunState>;
  run(
    tab: EditorTab,
    endpoint: Endpoint,
    connectionName: string,
    scope: 'cursor' | 'all',
    cursor: number,
  ): Promise<void>;
  runText(tab: EditorTab, endpoint: Endpoint, connectionName: string, text: string): Promise<void>;
  /** Cancels the tab's run on the active cluster. */
  cancel(tabId: string): void;
}

export const useRuns = create<RunsState>()((set, get) => {
  const update = (key: string, patch: Partial<RunState>): void =>
    set((s) => ({ runs: { ...s.runs, [key]: { ...(s.runs[key] ?? emptyRun()), ...patch } } }));

  const execute = async (
    tab: EditorTab,
    endpoint: Endpoint,
    connectionName: string,
    spans: { text: string; start: number; end: number }[],
    source: string,
  ): Promise<void> => {
    get().cancel(tab.id);
    const key = activeRunKey(tab.id);
    const abort = new AbortController();
    update(key, { running: true, startedAt: Date.now(), outcomes: [], error: undefined, abort });
    const outcomes: StatementOutcome[] = [];
    for (const span of spans) {
      const startedAt = Date.now();
      const result =
        tab.mode === 'promql'
          ? await runPromQuery(endpoint, span.text, tab.database, tab.range, abort.signal)
          : await runStatement(endpoint, span.text, tab.database, abort.signal);
      outcomes.push({ text: span.text, result });
      const rows = result.kind === 'table' ? result.table.numRows : result.kind === 'affected' ? result.rows : 0;
      const cancelled = abort.signal.aborted;
      useHistory.getState().record({
        text: span.text,
        mode: tab.mode,
        connection: connectionName,
        database: tab.database,
        startedAt,
        durationMs: result.elapsedMs,
        rows,
        status: cancelled ? 'cancelled' : result.kind === 'error' ? 'error' : 'ok',
        ...(result.kind === 'error' ? { error: result.message } : {}),
      });
      if (result.kind === 'table') {
        update(key, {
          outcomes: [...outcomes],
          table: result.table,
          columnTypes: result.columnTypes,
          lastStatement: span.text,
        });
      } else update(key, { outcomes: [...outcomes] });
      if (result.kind === 'error') {
        const position = errorPosition(result.message);
        update(key, {
          error: {
            code: result.code,
            message: result.message,
            statementStart: span.start,
            statementEnd: span.end,
            ...(position ? { offset: offsetInText(source, span, position.line, position.column) } : {}),
          },
        });
        break;
      }
      if (cancelled) break;
    }
    update(key, { running: false, abort: undefined });
  };

  return {
    runs: {},
    async run(tab, endpoint, connectionName, scope, cursor) {
      const source = tab.text;
      let spans;
      if (tab.mode === 'promql') {
        const text = source.trim();
        spans = text ? [{ text, start: source.indexOf(text), end: source.indexOf(text) + text.length }] : [];
      } else if (scope === 'all') spans = splitStatements(source);
      else {
        const span = statementAt(source, cursor);
        spans = span ? [span] : [];
      }
      if (spans.length > 0) await execute(tab, endpoint, connectionName, spans, source);
    },
    async runText(tab, endpoint, connectionName, text) {
      await execute(tab, endpoint, connectionName, [{ text, start: 0, end: 0 }], text);
    },
    cancel(tabId) {
      const run = get().runs[activeRunKey(tabId)];
      if (run?.running) run.abort?.abort();
    },
  };
});

/** The tab's run on the active cluster (re-renders when either changes). */
export function useActiveRun(tabId: string): RunState | undefined {
  const activeId = useConnections((s) => s.activeId);
  return useRuns((s) => s.runs[runKey(activeId, tabId)]);
}

function emptyRun(): RunState {
  return { running: false, startedAt: 0, outcomes: [] };
}
