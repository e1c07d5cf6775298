/**
 * The cluster board (docs/region-migration.md): datanodes as columns of region tiles, metasrv
 * and frontends in a strip above. Drag a tile onto another column (or press M on it) to run
 * `ADMIN migrate_region` and watch it move. Refreshed from information_schema every 2 s while
 * visible, and at once after an action.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties } from 'react';
import { useSettings } from '../app/settings-store.ts';
import { useActiveEndpoint } from '../connections/connections-store.ts';
import type { ClusterPeer } from './board-model.ts';
import { useBoard } from './board-store.ts';
import { DatanodeColumn } from './DatanodeColumn.tsx';
import { formatBytes, formatCount } from './format.ts';
import { canStart } from './migration-machine.ts';
import { NodePanel } from './NodePanel.tsx';
import { RegionPanel } from './RegionPanel.tsx';
import { tableHue } from './table-colour.ts';
import { layoutBoard } from './tile-layout.ts';
import { Toasts } from './Toasts.tsx';
import { useDesktopCluster } from './use-desktop-cluster.ts';
import { useTileDrag } from './use-tile-drag.ts';

const refreshMs = 2_000;

function PeerChip({ peer, label }: { peer: ClusterPeer; label: string }) {
  return (
    <span className="peer-chip" title={`${label} ${peer.addr}${peer.version ? ` · v${peer.version}` : ''}`}>
      <span className={`pill-dot ${peer.status}`} aria-hidden="true" />
      <b>{label}</b>
      <code>{peer.addr}</code>
      {peer.uptime && <span className="muted">up {peer.uptime}</span>}
    </span>
  );
}

export function ClusterBoard({ onQueryTable }: { onQueryTable(schema: string, table: string): void }) {
  const { endpoint } = useActiveEndpoint();
  const { model, loadError, filter, selection, migrations, toasts } = useBoard();
  const board = useBoard.getState;
  const [menuRegion, setMenuRegion] = useState<string | null>(null);
  const desktop = useDesktopCluster();
  const timeZone = useSettings((s) => s.timeZone);
  const [adding, setAdding] = useState(false);

  // useActiveEndpoint builds a new object each render: effects key on what it holds, not on it.
  const endpointRef = useRef(endpoint);
  endpointRef.current = endpoint;
  const endpointKey = `${endpoint.url}\n${endpoint.user ?? ''}\n${endpoint.password ?? ''}`;
  const refresh = useCallback(() => void board().refresh(endpointRef.current), [board]);

  useEffect(() => {
    refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, refreshMs);
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refresh, endpointKey]);

  const move = useCallback(
    (regionId: string, to: number) => {
      setMenuRegion(null);
      board().migrate(endpointRef.current, regionId, to);
    },
    [board],
  );
  const { drag, onPointerDown, consumeDragClick } = useTileDrag(move);

  const layout = useMemo(() => (model ? layoutBoard(model, filter, migrations) : []), [model, filter, migrations]);
  const datanodePeers = useMemo(() => model?.datanodes.map((c) => c.peer) ?? [], [model]);
  const dragTile = drag ? model?.regions.get(drag.regionId) : undefined;
  const totals = useMemo(() => {
    const columns = model?.datanodes ?? [];
    return {
      alive: columns.filter((c) => c.peer.status === 'alive').length,
      rows: columns.reduce((sum, c) => sum + c.rows, 0),
      bytes: columns.reduce((sum, c) => sum + c.bytes, 0),
    };
  }, [model]);

  const selectedColumn =
    selection?.kind === 'node' ? model?.datanodes.find((c) => c.peer.id === selection.peerId) : undefined;

  return (
    <div className="board">
      <div className="board-toolbar">
        <h2 className="board-title">Cluster</h2>
        {model && (
          <span className="board-summary" data-testid="board-summary">
            {model.datanodes.length} datanodes · {totals.alive} alive · {model.regions.size} regions ·{' '}
            {formatCount(totals.rows)} rows · {formatBytes(totals.bytes)}
          </span>
        )}
        {model && (
          <span
            className={`board-live${loadError ? ' stale' : ''}`}
            title="Refreshed every 2 s while this view is open"
          >
            <span className="pill-dot alive" aria-hidden="true" />
            {loadError ? 'Stale since' : 'Live ·'}{' '}
            {new Date(model.fetchedAt).toLocaleTimeString(undefined, { timeZone })}
          </span>
        )}
        <span className="spacer" />
        <label className="field">
          Database
          <select value={filter.database} onChange={(e) => board().setFilter({ database: e.target.value })}>
            <option value="">All</option>
            {model?.databases.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Filter tables"
          aria-label="Filter tables"
          value={filter.table}
          onChange={(e) => board().setFilter({ table: e.target.value })}
        />
        <label className="field check">
          <input
            type="checkbox"
            checked={filter.groupByTable}
            onChange={(e) => board().setFilter({ groupByTable: e.target.checked })}
          />
          Group by table
        </label>
        <button type="button" onClick={refresh} title="Refresh now (the board refreshes every 2 s)">
          ↻ Refresh
        </button>
        {desktop && (
          <button
            type="button"
            disabled={adding}
            onClick={() => {
              setAdding(true);
              void desktop.api
                .addDatanode()
                .catch(() => undefined)
                .finally(() => {
                  setAdding(false);
                  refresh();
                });
            }}
          >
            {adding ? 'Adding…' : '+ Datanode'}
          </button>
        )}
      </div>
      {loadError && (
        <div className="error-box board-error" role="alert">
          Cannot read the cluster's state: {loadError}
        </div>
      )}
      {model && (
        <div className="board-strip" aria-label="Metasrv and frontends">
          {model.metasrv.map((peer) => (
            <PeerChip key={`m${peer.addr}`} peer={peer} label="Metasrv" />
          ))}
          {model.frontends.map((peer) => (
            <PeerChip key={`f${peer.id}${peer.addr}`} peer={peer} label={`Frontend ${peer.id}`} />
          ))}
          <span className="spacer" />
          <span className="muted small">Drag a region onto another datanode to move it · or focus it and press M</span>
        </div>
      )}
      <div className="board-main">
        <div className="board-columns" role="list" aria-label="Datanodes">
          {!model && !loadError && <p className="empty">Reading the cluster…</p>}
          {model && model.datanodes.length === 0 && <p className="empty">This cluster has no datanodes.</p>}
          {layout.map((columnLayout) => {
            const peerId = columnLayout.column.peer.id;
            // A column the board shows as down still takes the drop: the board may be up to 2 s
            // stale, and the server's refusal (shown in a toast) is the authority.
            const dropTarget =
              drag !== null && drag.overPeer === peerId && canStart(migrations, drag.regionId, drag.from, peerId);
            return (
              <div role="listitem" key={peerId} className="dn-cell">
                <DatanodeColumn
                  layout={columnLayout}
                  peers={datanodePeers}
                  selectedRegion={selection?.kind === 'region' ? selection.regionId : null}
                  selectedNode={selection?.kind === 'node' && selection.peerId === peerId}
                  draggingRegion={drag?.regionId ?? null}
                  dropTarget={dropTarget}
                  menuRegion={menuRegion}
                  onOpenNode={() => board().select({ kind: 'node', peerId })}
                  onOpenRegion={(regionId) => {
                    if (consumeDragClick()) return;
                    board().select({ kind: 'region', regionId });
                  }}
                  onMoveMenu={setMenuRegion}
                  onMove={(regionId, _from, to) => move(regionId, to)}
                  onPointerDown={onPointerDown}
                />
              </div>
            );
          })}
        </div>
        {model && selection?.kind === 'region' && (
          <RegionPanel
            model={model}
            regionId={selection.regionId}
            migration={migrations.get(selection.regionId) ?? null}
            onQueryTable={onQueryTable}
            onMove={(to) => move(selection.regionId, to)}
            onClose={() => board().select(null)}
          />
        )}
        {selectedColumn && (
          <NodePanel
            column={selectedColumn}
            desktop={desktop}
            onChanged={refresh}
            onClose={() => board().select(null)}
          />
        )}
      </div>
      {drag && dragTile && (
        <div
          className="drag-preview"
          style={
            {
              left: drag.x,
              top: drag.y,
              '--hue': tableHue(dragTile.schema, dragTile.table),
            } as CSSProperties
          }
          aria-hidden="true"
        >
          <b>{dragTile.table}</b> r{dragTile.regionNumber}
          <span className="muted">
            {drag.overPeer !== null && drag.overPeer !== drag.from ? ` → datanode ${drag.overPeer}` : ''}
          </span>
        </div>
      )}
      <Toasts toasts={toasts} onDismiss={(id) => board().dismissToast(id)} />
    </div>
  );
}
