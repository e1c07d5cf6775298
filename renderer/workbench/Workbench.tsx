/**
 * The workbench: editor tabs, the toolbar (run, run all, cancel, format, save, mode,
 * database, PromQL range), the editor, and the result views (grid, chart, plan, messages) and
 * the cluster's running queries (process_list, with Kill).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { useActiveEndpoint } from '../connections/connections-store.ts';
import { useSettings } from '../app/settings-store.ts';
import { useHistory } from '../history/history-store.ts';
import { useSchema } from '../schema/schema-store.ts';
import { ResultGrid } from '../results/ResultGrid.tsx';
import { TimeChart } from '../results/TimeChart.tsx';
import { PlanTree, planTrees } from '../results/PlanTree.tsx';
import { cursorOffsets } from '../editor/cursor-offsets.ts';
import { formatSql } from './format-sql.ts';
import { useActiveRun, useRuns } from './run-store.ts';
import { statementAt } from './sql-statements.ts';
import { useActiveTab, useTabs } from './tabs-store.ts';
import { PromRangePicker } from './PromRangePicker.tsx';
import { ProcessesPanel } from '../processes/ProcessesPanel.tsx';

const CodeEditor = lazy(() => import('../editor/CodeEditor.tsx'));

type View = 'grid' | 'chart' | 'plan' | 'messages' | 'running';

const viewLabels: Record<View, string> = {
  grid: 'Grid',
  chart: 'Chart',
  plan: 'Plan',
  messages: 'Messages',
  running: 'Running queries',
};

export function Workbench() {
  const tab = useActiveTab();
  const tabs = useTabs((s) => s.tabs);
  const { open, close, activate, update } = useTabs.getState();
  const { connection, endpoint } = useActiveEndpoint();
  const run = useActiveRun(tab.id);
  const theme = useSettings((s) => s.theme);
  const timeZone = useSettings((s) => s.timeZone);
  const databases = useSchema((s) => s.databases);
  const [view, setView] = useState<View>('grid');
  const [elapsed, setElapsed] = useState(0);
  const [saving, setSaving] = useState(false);
  const [saveName, setSaveName] = useState('');

  useEffect(() => {
    if (!run?.running) return;
    const timer = setInterval(() => setElapsed(Date.now() - run.startedAt), 100);
    return () => clearInterval(timer);
  }, [run?.running, run?.startedAt]);

  const start = (scope: 'cursor' | 'all', cursor: number): void => {
    const current = useTabs.getState().tabs.find((t) => t.id === tab.id) ?? tab;
    const span = current.mode === 'sql' && scope === 'cursor' ? statementAt(current.text, cursor) : undefined;
    if (span && /^\s*explain\b/i.test(span.text)) setView('plan');
    else if (view === 'plan' || view === 'messages' || view === 'running') setView('grid');
    void useRuns.getState().run(current, endpoint, connection.name, scope, cursor);
  };
  const format = (): void => {
    if (tab.mode === 'sql') update(tab.id, { text: formatSql(tab.text) });
  };

  const table = run?.table;
  const marker = run?.error
    ? {
        message: `${run.error.message} (code ${run.error.code})`,
        start: run.error.offset ?? run.error.statementStart,
        end: run.error.offset !== undefined ? run.error.offset + 1 : run.error.statementEnd,
      }
    : undefined;
  const hasPlan = table ? planTrees(table).length > 0 : false;
  const last = run?.outcomes.at(-1);

  const zoomRerun = ({ startMs, endMs, timeColumn }: { startMs: number; endMs: number; timeColumn: string }): void => {
    if (tab.mode === 'promql') {
      const patch = { range: { ...tab.range, start: startMs / 1000, end: endMs / 1000 } };
      update(tab.id, patch);
      void useRuns.getState().run({ ...tab, ...patch }, endpoint, connection.name, 'all', 0);
    } else if (run?.lastStatement) {
      const inner = run.lastStatement.replace(/;\s*$/, '');
      const sql = `SELECT * FROM (${inner}) AS zoomed WHERE "${timeColumn}" >= ${startMs}::TIMESTAMP AND "${timeColumn}" <= ${endMs}::TIMESTAMP`;
      void useRuns.getState().runText(tab, endpoint, connection.name, sql);
    }
  };

  return (
    <section className="workbench" aria-label="Workbench">
      <div className="tabbar" role="tablist" aria-label="Editor tabs">
        {tabs.map((t) => (
          <div key={t.id} className={`tab${t.id === tab.id ? ' active' : ''}`}>
            <button type="button" role="tab" aria-selected={t.id === tab.id} onClick={() => activate(t.id)}>
              <span className={`mode-dot ${t.mode}`} aria-hidden="true" />
              {t.title}
            </button>
            <button type="button" className="tab-close" aria-label={`Close ${t.title}`} onClick={() => close(t.id)}>
              ×
            </button>
          </div>
        ))}
        <button type="button" className="tab-new" onClick={() => open()} aria-label="New SQL tab" title="New SQL tab">
          + SQL
        </button>
        <button
          type="button"
          className="tab-new"
          onClick={() => open({ mode: 'promql', text: '' })}
          aria-label="New PromQL tab"
          title="New PromQL tab"
        >
          + PromQL
        </button>
      </div>
      <div className="toolbar" role="toolbar" aria-label="Query actions">
        <button
          type="button"
          className="primary"
          onClick={() => start('cursor', cursorOffset(tab.id))}
          disabled={run?.running}
          title="Run statement at cursor (Ctrl/Cmd+Enter)"
        >
          ▶ Run
        </button>
        <button
          type="button"
          onClick={() => start('all', 0)}
          disabled={run?.running}
          title="Run all (Shift+Ctrl/Cmd+Enter)"
        >
          Run all
        </button>
        <button type="button" onClick={() => useRuns.getState().cancel(tab.id)} disabled={!run?.running}>
          Cancel
        </button>
        <button type="button" onClick={format} disabled={tab.mode !== 'sql'} title="Format (Shift+Alt+F)">
          Format
        </button>
        {saving ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (saveName.trim())
                useHistory.getState().save({ name: saveName.trim(), text: tab.text, mode: tab.mode });
              setSaving(false);
              setSaveName('');
            }}
          >
            <input
              aria-label="Saved query name"
              placeholder="Name"
              value={saveName}
              onChange={(e) => setSaveName(e.target.value)}
              autoFocus
            />
            <button type="submit">Save</button>
          </form>
        ) : (
          <button type="button" onClick={() => setSaving(true)}>
            Save query…
          </button>
        )}
        <span className="spacer" />
        <label className="field">
          Mode
          <select value={tab.mode} onChange={(e) => update(tab.id, { mode: e.target.value as 'sql' | 'promql' })}>
            <option value="sql">SQL</option>
            <option value="promql">PromQL</option>
          </select>
        </label>
        <label className="field">
          Database
          <select value={tab.database} onChange={(e) => update(tab.id, { database: e.target.value })}>
            {[...new Set([tab.database, ...databases])].map((db) => (
              <option key={db} value={db}>
                {db}
              </option>
            ))}
          </select>
        </label>
      </div>
      {tab.mode === 'promql' && <PromRangePicker range={tab.range} onChange={(range) => update(tab.id, { range })} />}
      <div className="editor-pane">
        <Suspense fallback={<div className="editor-host loading">Loading editor…</div>}>
          <CodeEditor
            tabId={tab.id}
            mode={tab.mode}
            text={tab.text}
            dark={theme === 'dark'}
            marker={marker}
            onChange={(text) => update(tab.id, { text })}
            onRun={start}
            onFormat={format}
          />
        </Suspense>
      </div>
      <div className="results" aria-label="Results">
        <div className="results-bar">
          <div role="tablist" aria-label="Result views" className="views">
            {(Object.keys(viewLabels) as View[]).map((v) => (
              <button key={v} type="button" role="tab" aria-selected={view === v} onClick={() => setView(v)}>
                {viewLabels[v]}
              </button>
            ))}
          </div>
          <span className="spacer" />
          <div className="run-status" role="status" aria-live="polite" data-testid="run-status">
            {run?.running ? (
              <>
                <span className="spinner" aria-hidden="true" /> Running… {(elapsed / 1000).toFixed(1)} s
              </>
            ) : last ? (
              last.result.kind === 'error' ? (
                `Failed after ${last.result.elapsedMs} ms`
              ) : last.result.kind === 'affected' ? (
                `${last.result.rows} rows affected in ${last.result.elapsedMs} ms`
              ) : (
                `${last.result.table.numRows.toLocaleString('en-US')} rows in ${last.result.elapsedMs} ms`
              )
            ) : (
              'Ready'
            )}
          </div>
        </div>
        {run?.error && (
          <div className="error-box" role="alert" data-testid="query-error">
            <strong>Error {run.error.code}</strong> {run.error.message}
            {run.error.offset !== undefined && <span className="muted"> — marked in the editor</span>}
          </div>
        )}
        <div className="result-body">
          {view === 'running' ? (
            <ProcessesPanel />
          ) : view === 'messages' || !table ? (
            <Messages />
          ) : view === 'grid' ? (
            <ResultGrid table={table} timeZone={timeZone} />
          ) : view === 'chart' ? (
            <TimeChart table={table} timeZone={timeZone} dark={theme === 'dark'} onZoomRerun={zoomRerun} />
          ) : hasPlan ? (
            <PlanTree table={table} />
          ) : (
            <p className="empty">This result is not a plan. Run EXPLAIN … to see one.</p>
          )}
        </div>
      </div>
    </section>
  );

  function Messages() {
    if (!run || run.outcomes.length === 0) {
      return <p className="empty">Run a statement with Ctrl/Cmd+Enter, or everything with Shift+Ctrl/Cmd+Enter.</p>;
    }
    return (
      <ol className="messages">
        {run.outcomes.map((o, i) => (
          <li key={i} className={o.result.kind}>
            <code>{o.text.length > 120 ? `${o.text.slice(0, 120)}…` : o.text}</code>
            <span>
              {o.result.kind === 'error'
                ? `error ${o.result.code}: ${o.result.message}`
                : o.result.kind === 'affected'
                  ? `${o.result.rows} rows affected`
                  : `${o.result.table.numRows} rows`}{' '}
              · {o.result.elapsedMs} ms
            </span>
          </li>
        ))}
      </ol>
    );
  }
}

/** The editor's last cursor for toolbar buttons; the end of the text before the editor has one. */
function cursorOffset(tabId: string): number {
  return cursorOffsets.get(tabId) ?? useTabs.getState().tabs.find((t) => t.id === tabId)?.text.length ?? 0;
}
