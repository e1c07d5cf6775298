/**
 * A datanode as a board column: a header (id, address, status, regions, rows, bytes, load)
 * and its region tiles, grouped by table. The whole column is a drop target (`data-peer-id`).
 */
import type { CSSProperties, PointerEvent } from 'react';
import type { ClusterPeer } from './board-model.ts';
import { formatBytes, formatCount } from './format.ts';
import { MoveMenu } from './MoveMenu.tsx';
import { RegionTile } from './RegionTile.tsx';
import { tableHue } from './table-colour.ts';
import type { ColumnLayout } from './tile-layout.ts';

export function DatanodeColumn(props: {
  layout: ColumnLayout;
  peers: ClusterPeer[];
  selectedRegion: string | null;
  selectedNode: boolean;
  draggingRegion: string | null;
  /** The drag is over this column and may drop here. */
  dropTarget: boolean;
  menuRegion: string | null;
  onOpenNode(): void;
  onOpenRegion(regionId: string): void;
  onMoveMenu(regionId: string | null): void;
  onMove(regionId: string, from: number, to: number): void;
  onPointerDown(event: PointerEvent, regionId: string, from: number): void;
}) {
  const { layout, peers } = props;
  const { column, groups, tileCount, load } = layout;
  const { peer } = column;
  const name = `Datanode ${peer.id}`;
  return (
    <section
      className={`dn-column${props.dropTarget ? ' drop-target' : ''}${peer.status === 'down' ? ' is-down' : ''}`}
      data-peer-id={peer.id}
      aria-label={name}
    >
      <button
        type="button"
        className={`dn-head${props.selectedNode ? ' selected' : ''}`}
        onClick={props.onOpenNode}
        aria-label={`${name} details`}
      >
        <span className="dn-title">
          <span className="dn-name">{name}</span>
          <span className={`pill ${peer.status}`}>{peer.status}</span>
        </span>
        <span className="dn-addr">{peer.addr || 'address unknown'}</span>
        <span className="dn-stats">
          <span>
            <b>{column.regions.length}</b> {column.regions.length === 1 ? 'region' : 'regions'}
          </span>
          <span>
            <b>{formatCount(column.rows)}</b> rows
          </span>
          <span>
            <b>{formatBytes(column.bytes)}</b>
          </span>
        </span>
        <span className="load-bar" title={`Load: ${Math.round(load * 100)}% of the busiest datanode`}>
          <span style={{ width: `${Math.round(load * 100)}%` } as CSSProperties} />
        </span>
      </button>
      <div className="dn-body">
        {tileCount === 0 && groups.length === 0 && (
          <p className="dn-empty">{props.dropTarget ? 'Drop to move here' : 'No regions'}</p>
        )}
        {groups.map((group) => (
          <div className="tile-group" key={group.key || 'all'}>
            {group.key && (
              <div
                className="tile-group-head"
                style={{ '--hue': tableHue(group.schema, group.table) } as CSSProperties}
              >
                <span className="swatch" aria-hidden="true" />
                {group.table}
                <span className="muted">{group.schema}</span>
              </div>
            )}
            {group.slots.map(({ tile, role, migration }) => {
              const movable = role === 'home' || role === 'snapback';
              const key = `${tile.regionId}-${role}`;
              return (
                <div className="tile-slot" key={key}>
                  <RegionTile
                    tile={tile}
                    role={role}
                    selected={props.selectedRegion === tile.regionId && role !== 'ghost'}
                    dragging={props.draggingRegion === tile.regionId && role !== 'ghost'}
                    movable={movable && migration?.phase !== 'landed'}
                    onOpen={() => props.onOpenRegion(tile.regionId)}
                    onMoveMenu={() => props.onMoveMenu(tile.regionId)}
                    onPointerDown={(event) => props.onPointerDown(event, tile.regionId, tile.peerId)}
                  />
                  {props.menuRegion === tile.regionId && movable && (
                    <MoveMenu
                      label={`${tile.table} region ${tile.regionNumber}`}
                      from={tile.peerId}
                      targets={peers}
                      onPick={(to) => props.onMove(tile.regionId, tile.peerId, to)}
                      onClose={() => props.onMoveMenu(null)}
                    />
                  )}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </section>
  );
}
