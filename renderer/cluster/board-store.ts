/**
 * The board's state: the model from the last refresh, the filter, the selection, the
 * migrations in flight and the toasts. Migrations run here, outside React, so a tile keeps
 * moving (and its toast still shows) while the board re-renders.
 */
import { create } from 'zustand';
import type { Endpoint } from '../shared/greptime-http.ts';
import { buildBoard } from './board-model.ts';
import type { BoardModel } from './board-model.ts';
import { loadBoardSources, migrateRegion, procedureState } from './cluster-api.ts';
import { canStart, reduceMigrations } from './migration-machine.ts';
import type { MigrationEvent, Migrations } from './migration-machine.ts';
import type { BoardFilter } from './tile-layout.ts';

export interface Toast {
  id: number;
  kind: 'error' | 'success';
  text: string;
}

export type BoardSelection = { kind: 'region'; regionId: string } | { kind: 'node'; peerId: number } | null;

interface BoardState {
  /** The cluster the model came from; a different one starts from scratch. */
  url: string | null;
  model: BoardModel | null;
  loadError: string | null;
  filter: BoardFilter;
  selection: BoardSelection;
  migrations: Migrations;
  toasts: Toast[];
  refresh(endpoint: Endpoint): Promise<void>;
  migrate(endpoint: Endpoint, regionId: string, to: number): void;
  setFilter(patch: Partial<BoardFilter>): void;
  select(selection: BoardSelection): void;
  dismissToast(id: number): void;
}

/** How often a running procedure is asked for its state. */
const pollMs = 500;
/** How long a tile animates landing or snapping back before it is at rest again. */
const settleMs = 1_200;
/** How long a toast stays (errors longer: they carry the server's message). */
const toastMs = { success: 4_000, error: 12_000 };

let toastCounter = 0;
let refreshing: Promise<void> | null = null;
let refreshAgain = false;
/** The cluster the latest refresh was asked for; a reply from another one is dropped. */
let latestEndpoint: Endpoint | null = null;
/** procedure_state calls that may fail in a row (a blip) before the move counts as failed. */
const pollFailuresAllowed = 3;

export const nodeName = (peerId: number): string => `datanode ${peerId}`;

export const useBoard = create<BoardState>()((set, get) => {
  const dispatch = (event: MigrationEvent): void => {
    const before = get().migrations;
    const after = reduceMigrations(before, event);
    if (after === before) return;
    set({ migrations: after });
    for (const [regionId, migration] of after) {
      const previous = before.get(regionId);
      if (previous?.phase === migration.phase) continue;
      if (migration.phase === 'landed') {
        toast('success', `${migration.label} moved to ${nodeName(migration.to)}`);
      }
      if (migration.phase === 'failed') {
        toast(
          'error',
          `${migration.label} could not move from ${nodeName(migration.from)} to ${nodeName(migration.to)}: ${migration.error}`,
        );
      }
      if (migration.phase === 'landed' || migration.phase === 'failed') {
        setTimeout(() => dispatch({ type: 'settled', regionId }), settleMs);
      }
    }
  };

  const toast = (kind: Toast['kind'], text: string): void => {
    const id = ++toastCounter;
    set((s) => ({ toasts: [...s.toasts, { id, kind, text }].slice(-5) }));
    setTimeout(() => get().dismissToast(id), toastMs[kind]);
  };

  const poll = (endpoint: Endpoint, regionId: string, procedureId: string, failures = 0): void => {
    setTimeout(async () => {
      const current = get().migrations.get(regionId);
      if (current?.phase !== 'moving' || current.procedureId !== procedureId) return;
      const state = await procedureState(endpoint, procedureId);
      if (!state.ok) {
        if (failures + 1 < pollFailuresAllowed) poll(endpoint, regionId, procedureId, failures + 1);
        else dispatch({ type: 'refused', regionId, error: state.error });
        return;
      }
      dispatch({ type: 'state', regionId, state: state.value });
      if (state.value.status === 'Running') poll(endpoint, regionId, procedureId);
      else void get().refresh(endpoint);
    }, pollMs);
  };

  const refreshOnce = async (endpoint: Endpoint): Promise<void> => {
    const sources = await loadBoardSources(endpoint);
    if (latestEndpoint?.url !== endpoint.url) return;
    if (get().url !== endpoint.url) set({ model: null, migrations: new Map(), selection: null, url: endpoint.url });
    if (!sources.ok) {
      set({ loadError: sources.error });
      return;
    }
    const model = buildBoard(sources.value, Date.now());
    set({ model, loadError: null });
    const placement = new Map<string, number>();
    for (const tile of model.regions.values()) placement.set(tile.regionId, tile.peerId);
    dispatch({ type: 'observed', placement });
  };

  return {
    url: null,
    model: null,
    loadError: null,
    filter: { database: '', table: '', groupByTable: true },
    selection: null,
    migrations: new Map(),
    toasts: [],

    async refresh(endpoint) {
      // One refresh at a time; a request meanwhile runs once more afterwards, with fresh data.
      latestEndpoint = endpoint;
      if (refreshing) {
        refreshAgain = true;
        return refreshing;
      }
      refreshing = (async () => {
        try {
          do {
            refreshAgain = false;
            await refreshOnce(latestEndpoint ?? endpoint);
          } while (refreshAgain);
        } finally {
          refreshing = null;
        }
      })();
      return refreshing;
    },

    migrate(endpoint, regionId, to) {
      const tile = get().model?.regions.get(regionId);
      if (!tile || !canStart(get().migrations, regionId, tile.peerId, to)) return;
      const from = tile.peerId;
      const label = `${tile.schema}.${tile.table} region ${tile.regionNumber}`;
      dispatch({ type: 'start', regionId, from, to, label });
      void migrateRegion(endpoint, regionId, from, to).then((outcome) => {
        if (!outcome.ok) {
          dispatch({ type: 'refused', regionId, error: outcome.error });
          return;
        }
        dispatch({ type: 'accepted', regionId, procedureId: outcome.value });
        void get().refresh(endpoint);
        poll(endpoint, regionId, outcome.value);
      });
    },

    setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
    select: (selection) => set({ selection }),
    dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  };
});
