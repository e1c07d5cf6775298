/**
 * Clusters the app can talk to: the one that served the page (always present, not removable)
 * and remote ones added by URL, with optional basic-auth credentials. Several are kept; one is
 * active. Saved across restarts; passwords only sealed (password-vault.ts), opened in memory.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { checkHealth } from '../shared/greptime-http.ts';
import type { Endpoint } from '../shared/greptime-http.ts';
import { openPassword, sealPassword } from './password-vault.ts';

export interface Connection {
  id: string;
  name: string;
  url: string;
  user?: string;
  /** Sealed password as stored; the open one lives in `passwords`. */
  sealedPassword?: string;
  local?: boolean;
}

export interface Health {
  ok: boolean;
  ms: number;
  checkedAt: number;
}

interface ConnectionsState {
  connections: Connection[];
  activeId: string;
  passwords: Record<string, string>;
  health: Record<string, Health>;
  add(input: { name: string; url: string; user?: string; password?: string }): Promise<string>;
  remove(id: string): void;
  activate(id: string): void;
  refreshHealth(): Promise<void>;
  unsealPasswords(): Promise<void>;
}

export const localConnectionId = 'local';

function localConnection(): Connection {
  const served = location.protocol === 'http:' || location.protocol === 'https:';
  return {
    id: localConnectionId,
    name: 'Local cluster',
    url: served ? location.origin : 'http://127.0.0.1:4000',
    local: true,
  };
}

export const useConnections = create<ConnectionsState>()(
  persist(
    (set, get) => ({
      connections: [localConnection()],
      activeId: localConnectionId,
      passwords: {},
      health: {},
      async add({ name, url, user, password }) {
        const normalized = new URL(url).origin;
        const id = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
        const connection: Connection = { id, name: name || normalized, url: normalized };
        if (user) connection.user = user;
        if (password) connection.sealedPassword = await sealPassword(password);
        set((s) => ({
          connections: [...s.connections, connection],
          passwords: password ? { ...s.passwords, [id]: password } : s.passwords,
        }));
        void get().refreshHealth();
        return id;
      },
      remove(id) {
        if (id === localConnectionId) return;
        set((s) => ({
          connections: s.connections.filter((c) => c.id !== id),
          activeId: s.activeId === id ? localConnectionId : s.activeId,
        }));
      },
      activate(id) {
        set({ activeId: id });
      },
      async refreshHealth() {
        const results = await Promise.all(
          get().connections.map(async (c) => [c.id, await checkHealth(endpointOf(c, get().passwords))] as const),
        );
        const now = Date.now();
        set({ health: Object.fromEntries(results.map(([id, h]) => [id, { ...h, checkedAt: now }])) });
      },
      async unsealPasswords() {
        const opened: Record<string, string> = {};
        for (const c of get().connections) {
          if (!c.sealedPassword) continue;
          const password = await openPassword(c.sealedPassword);
          if (password !== undefined) opened[c.id] = password;
        }
        set({ passwords: opened });
      },
    }),
    {
      name: 'tessera.connections',
      partialize: (s) => ({ connections: s.connections.filter((c) => !c.local), activeId: s.activeId }),
      // The local cluster is wherever this page came from, never a saved URL.
      merge: (saved, current) => {
        const state = saved as Partial<ConnectionsState> | undefined;
        const connections = [localConnection(), ...(state?.connections ?? [])];
        const activeId = connections.some((c) => c.id === state?.activeId) ? state!.activeId! : localConnectionId;
        return { ...current, connections, activeId };
      },
    },
  ),
);

export function endpointOf(connection: Connection, passwords: Record<string, string>): Endpoint {
  const endpoint: Endpoint = { url: connection.url };
  if (connection.user) endpoint.user = connection.user;
  const password = passwords[connection.id];
  if (password !== undefined) endpoint.password = password;
  return endpoint;
}

/** The active connection and its endpoint. */
export function useActiveEndpoint(): { connection: Connection; endpoint: Endpoint } {
  const connections = useConnections((s) => s.connections);
  const activeId = useConnections((s) => s.activeId);
  const passwords = useConnections((s) => s.passwords);
  const connection = connections.find((c) => c.id === activeId) ?? connections[0]!;
  return { connection, endpoint: endpointOf(connection, passwords) };
}

export function activeEndpoint(): Endpoint {
  const { connections, activeId, passwords } = useConnections.getState();
  const connection = connections.find((c) => c.id === activeId) ?? connections[0]!;
  return endpointOf(connection, passwords);
}
