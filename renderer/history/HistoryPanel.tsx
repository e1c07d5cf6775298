/** History (searchable, re-run) and saved queries. */
import { useMemo, useState } from 'react';
import { searchHistory, useHistory } from './history-store.ts';
import type { HistoryEntry } from './history-store.ts';

export function HistoryPanel({ onOpen }: { onOpen(text: string, mode: 'sql' | 'promql', run: boolean): void }) {
  const entries = useHistory((s) => s.entries);
  const [query, setQuery] = useState('');
  const found = useMemo(() => searchHistory(entries, query), [entries, query]);
  return (
    <div className="panel" aria-label="History">
      <label className="search">
        <span className="visually-hidden">Search history</span>
        <input
          type="search"
          placeholder="Search history"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Search history"
        />
      </label>
      <p className="muted small">
        {found.length} of {entries.length} runs
      </p>
      <ul className="list history" aria-label="History entries">
        {found.slice(0, 200).map((e) => (
          <Entry key={e.id} entry={e} onOpen={onOpen} />
        ))}
      </ul>
      {entries.length > 0 && (
        <button type="button" onClick={() => useHistory.getState().clear()}>
          Clear history
        </button>
      )}
    </div>
  );
}

function Entry({
  entry,
  onOpen,
}: {
  entry: HistoryEntry;
  onOpen(text: string, mode: 'sql' | 'promql', run: boolean): void;
}) {
  return (
    <li className={`history-entry ${entry.status}`}>
      <button
        type="button"
        className="list-main"
        onClick={() => onOpen(entry.text, entry.mode, false)}
        title="Open in the editor"
      >
        <code className="history-text">{entry.text}</code>
        <span className="muted small">
          {new Date(entry.startedAt).toLocaleTimeString()} · {entry.durationMs} ms ·{' '}
          {entry.status === 'ok' ? `${entry.rows} rows` : entry.status} · {entry.connection}
        </span>
      </button>
      <button
        type="button"
        className="icon"
        aria-label="Re-run"
        title="Re-run"
        onClick={() => onOpen(entry.text, entry.mode, true)}
      >
        ↻
      </button>
    </li>
  );
}

export function SavedPanel({ onOpen }: { onOpen(text: string, mode: 'sql' | 'promql', run: boolean): void }) {
  const saved = useHistory((s) => s.saved);
  return (
    <div className="panel" aria-label="Saved queries">
      {saved.length === 0 && <p className="muted">No saved queries yet: use "Save query…" above the editor.</p>}
      <ul className="list">
        {saved.map((q) => (
          <li key={q.id}>
            <button type="button" className="list-main" onClick={() => onOpen(q.text, q.mode, false)}>
              <span className="list-title">{q.name}</span>
              <code className="history-text">{q.text}</code>
            </button>
            <button
              type="button"
              className="icon"
              aria-label={`Run ${q.name}`}
              onClick={() => onOpen(q.text, q.mode, true)}
            >
              ▶
            </button>
            <button
              type="button"
              className="icon"
              aria-label={`Delete ${q.name}`}
              onClick={() => useHistory.getState().removeSaved(q.id)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
