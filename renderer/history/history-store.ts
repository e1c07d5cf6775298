/**
 * Every run, kept with its time, duration, rows and status, and named saved queries. Both
 * persist across reloads; history is capped so localStorage stays small.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export interface HistoryEntry {
  id: string;
  text: string;
  mode: 'sql' | 'promql';
  connection: string;
  database: string;
  startedAt: number;
  durationMs: number;
  rows: number;
  status: 'ok' | 'error' | 'cancelled';
  error?: string;
}

export interface SavedQuery {
  id: string;
  name: string;
  text: string;
  mode: 'sql' | 'promql';
}

interface HistoryState {
  entries: HistoryEntry[];
  saved: SavedQuery[];
  record(entry: Omit<HistoryEntry, 'id'>): void;
  save(query: Omit<SavedQuery, 'id'>): void;
  removeSaved(id: string): void;
  clear(): void;
}

const maxEntries = 500;
const newId = (): string => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

export const useHistory = create<HistoryState>()(
  persist(
    (set) => ({
      entries: [],
      saved: [],
      record: (entry) => set((s) => ({ entries: [{ ...entry, id: newId() }, ...s.entries].slice(0, maxEntries) })),
      save: (query) =>
        set((s) => ({ saved: [...s.saved.filter((q) => q.name !== query.name), { ...query, id: newId() }] })),
      removeSaved: (id) => set((s) => ({ saved: s.saved.filter((q) => q.id !== id) })),
      clear: () => set({ entries: [] }),
    }),
    { name: 'tessera.history' },
  ),
);

/** Entries whose text, status or error contains every word of `query` (case-insensitive). */
export function searchHistory(entries: HistoryEntry[], query: string): HistoryEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries;
  return entries.filter((e) => {
    const haystack = `${e.text} ${e.status} ${e.error ?? ''} ${e.database}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}
