/**
 * The app shell: a header (cluster picker with health, time zone, theme, shortcuts), a side
 * panel (schema, history, saved queries, connections) and the main view: the workbench, or the
 * cluster board (renderer/cluster).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { ClusterBoard } from '../cluster/ClusterBoard.tsx';
import { selectTableSql } from '../cluster/format.ts';
import { useActiveEndpoint, useConnections } from '../connections/connections-store.ts';
import { ConnectionsPanel } from '../connections/ConnectionsPanel.tsx';
import { HistoryPanel, SavedPanel } from '../history/HistoryPanel.tsx';
import { SchemaBrowser } from '../schema/SchemaBrowser.tsx';
import { useRuns } from '../workbench/run-store.ts';
import { useTabs } from '../workbench/tabs-store.ts';
import { Workbench } from '../workbench/Workbench.tsx';
import { useSettings } from './settings-store.ts';
import { ShortcutsDialog } from './ShortcutsDialog.tsx';

type Panel = 'schema' | 'history' | 'saved' | 'connections';
type View = 'workbench' | 'cluster' | 'partitions';
const views: [View, string][] = [
  ['workbench', 'Workbench'],
  ['cluster', 'Cluster'],
  ['partitions', 'Partitions'],
];
// The partition designer is its own chunk (engine/partition and engine/sql inside): fetched on first open.
const PartitionDesigner = lazy(() => import('../designer/PartitionDesigner.tsx'));
const panels: [Panel, string][] = [
  ['schema', 'Schema'],
  ['history', 'History'],
  ['saved', 'Saved'],
  ['connections', 'Connections'],
];
const zones = [
  'UTC',
  Intl.DateTimeFormat().resolvedOptions().timeZone,
  'America/New_York',
  'Europe/Berlin',
  'Asia/Shanghai',
  'Asia/Tokyo',
];

export function App() {
  const theme = useSettings((s) => s.theme);
  const timeZone = useSettings((s) => s.timeZone);
  const { connections, activeId, health } = useConnections();
  const { connection, endpoint } = useActiveEndpoint();
  const [panel, setPanel] = useState<Panel>('schema');
  const [view, setView] = useState<View>('workbench');
  const [showShortcuts, setShowShortcuts] = useState(false);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    void useConnections
      .getState()
      .unsealPasswords()
      .then(() => useConnections.getState().refreshHealth());
    const timer = setInterval(() => void useConnections.getState().refreshHealth(), 15_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (
        e.key === '?' &&
        !(e.target instanceof HTMLInputElement) &&
        !(e.target as HTMLElement).closest?.('.monaco-editor')
      ) {
        setShowShortcuts(true);
      }
      if ((e.ctrlKey || e.metaKey) && e.altKey && /^[1-4]$/.test(e.key)) {
        setPanel(panels[Number(e.key) - 1]![0]);
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const openQuery = (text: string, mode: 'sql' | 'promql', run: boolean): void => {
    const tabs = useTabs.getState();
    const id = tabs.open({ text, mode });
    if (run) {
      const tab = useTabs.getState().tabs.find((t) => t.id === id)!;
      void useRuns.getState().run(tab, endpoint, connection.name, 'all', 0);
    }
  };
  const insertIntoEditor = (text: string): void => {
    const { tabs, activeId: tabId, update } = useTabs.getState();
    const tab = tabs.find((t) => t.id === tabId);
    if (tab)
      update(tab.id, { text: tab.text.endsWith(' ') || tab.text === '' ? tab.text + text : `${tab.text} ${text}` });
  };

  const queryTable = (schema: string, table: string): void => {
    const id = useTabs.getState().open({ text: selectTableSql(table), database: schema, title: table });
    const tab = useTabs.getState().tabs.find((t) => t.id === id)!;
    void useRuns.getState().run(tab, endpoint, connection.name, 'all', 0);
    setView('workbench');
  };

  const openDdl = (text: string): void => {
    useTabs.getState().open({ text, title: 'DDL' });
    setView('workbench');
  };

  const h = health[activeId];
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">
          <span className="logo" aria-hidden="true">
            ▦
          </span>
          Tessera
        </h1>
        <nav className="views" role="tablist" aria-label="Views">
          {views.map(([id, label]) => (
            <button key={id} type="button" role="tab" aria-selected={view === id} onClick={() => setView(id)}>
              {label}
            </button>
          ))}
        </nav>
        <label className="field">
          Cluster
          <select
            aria-label="Cluster"
            value={activeId}
            onChange={(e) => useConnections.getState().activate(e.target.value)}
          >
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} — {c.url}
              </option>
            ))}
          </select>
        </label>
        <span
          className={`health ${h ? (h.ok ? 'ok' : 'down') : 'unknown'}`}
          role="status"
          aria-label={`Cluster health: ${h ? (h.ok ? 'healthy' : 'unreachable') : 'unknown'}`}
          title={h ? `${h.ok ? 'healthy' : 'unreachable'} (${h.ms} ms)` : 'checking'}
        />
        <span className="spacer" />
        <label className="field">
          Time zone
          <select value={timeZone} onChange={(e) => useSettings.getState().setTimeZone(e.target.value)}>
            {[...new Set(zones)].map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => useSettings.getState().setTheme(theme === 'dark' ? 'light' : 'dark')}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        >
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        <button type="button" onClick={() => setShowShortcuts(true)} aria-haspopup="dialog">
          Shortcuts
        </button>
      </header>
      <div className="app-body" data-view={view}>
        <aside className="sidebar">
          <nav role="tablist" aria-label="Side panels" className="side-tabs">
            {panels.map(([id, label]) => (
              <button key={id} type="button" role="tab" aria-selected={panel === id} onClick={() => setPanel(id)}>
                {label}
              </button>
            ))}
          </nav>
          <div className="side-body" role="tabpanel" aria-label={panels.find(([id]) => id === panel)![1]}>
            {panel === 'schema' && <SchemaBrowser onInsert={insertIntoEditor} />}
            {panel === 'history' && <HistoryPanel onOpen={openQuery} />}
            {panel === 'saved' && <SavedPanel onOpen={openQuery} />}
            {panel === 'connections' && <ConnectionsPanel />}
          </div>
        </aside>
        <main className="main">
          {view === 'workbench' && <Workbench />}
          {view === 'cluster' && <ClusterBoard onQueryTable={queryTable} />}
          {view === 'partitions' && (
            <Suspense fallback={<p className="empty">Loading the partition designer…</p>}>
              <PartitionDesigner onOpenInWorkbench={openDdl} />
            </Suspense>
          )}
        </main>
      </div>
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
    </div>
  );
}
