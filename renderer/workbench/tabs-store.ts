/** The editor tabs: their text, mode, database and PromQL range. Kept across reloads. */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type EditorMode = 'sql' | 'promql';

export interface PromRange {
  /** Relative: seconds back from now (e.g. 3600); absolute when `start`/`end` are set. */
  lastSeconds: number;
  start?: number;
  end?: number;
  /** Step in seconds; 0 picks about 250 points over the range. */
  step: number;
}

export interface EditorTab {
  id: string;
  title: string;
  mode: EditorMode;
  text: string;
  database: string;
  range: PromRange;
}

interface TabsState {
  tabs: EditorTab[];
  activeId: string;
  open(tab?: Partial<EditorTab>): string;
  close(id: string): void;
  activate(id: string): void;
  update(id: string, patch: Partial<EditorTab>): void;
}

let counter = 0;
const newTab = (patch: Partial<EditorTab> = {}): EditorTab => ({
  id: `t${Date.now().toString(36)}${(counter++).toString(36)}`,
  title: patch.mode === 'promql' ? 'PromQL' : 'Query',
  mode: 'sql',
  text: '',
  database: 'public',
  range: { lastSeconds: 3600, step: 0 },
  ...patch,
});

const first = newTab({ text: 'SELECT * FROM numbers LIMIT 10;' });

export const useTabs = create<TabsState>()(
  persist(
    (set, get) => ({
      tabs: [first],
      activeId: first.id,
      open(patch) {
        const tab = newTab(patch);
        const titles = new Set(get().tabs.map((t) => t.title));
        let title = tab.title;
        for (let n = 2; titles.has(title); n++) title = `${tab.title} ${n}`;
        set((s) => ({ tabs: [...s.tabs, { ...tab, title }], activeId: tab.id }));
        return tab.id;
      },
      close(id) {
        set((s) => {
          const index = s.tabs.findIndex((t) => t.id === id);
          const tabs = s.tabs.filter((t) => t.id !== id);
          if (tabs.length === 0) tabs.push(newTab());
          const activeId = s.activeId === id ? tabs[Math.max(0, index - 1)]!.id : s.activeId;
          return { tabs, activeId };
        });
      },
      activate: (id) => set({ activeId: id }),
      update: (id, patch) => set((s) => ({ tabs: s.tabs.map((t) => (t.id === id ? { ...t, ...patch } : t)) })),
    }),
    { name: 'tessera.tabs' },
  ),
);

export function useActiveTab(): EditorTab {
  return useTabs((s) => s.tabs.find((t) => t.id === s.activeId) ?? s.tabs[0]!);
}
