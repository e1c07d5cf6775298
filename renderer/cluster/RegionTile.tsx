/**
 * One region as a tile: its table's colour, name and region number, the partition rule
 * (tooltip), rows and size. A tile is a button: click or Enter opens its details; drag it
 * onto another column, or press M (or the context-menu key) for a menu of target datanodes.
 */
import type { CSSProperties, KeyboardEvent, PointerEvent } from 'react';
import type { RegionTile as Tile } from './board-model.ts';
import { formatBytes, formatCount } from './format.ts';
import { tableHue } from './table-colour.ts';
import type { SlotRole } from './tile-layout.ts';

const roleText: Record<SlotRole, string> = {
  home: '',
  leaving: 'moving',
  ghost: 'arriving',
  landed: 'landed',
  snapback: 'not moved',
};

export function RegionTile(props: {
  tile: Tile;
  role: SlotRole;
  selected: boolean;
  dragging: boolean;
  /** Whether the tile can be moved now (not already moving, not a ghost). */
  movable: boolean;
  onOpen(): void;
  onMoveMenu(): void;
  onPointerDown(event: PointerEvent): void;
}) {
  const { tile, role, selected, dragging, movable } = props;
  const status = roleText[role];
  const onKeyDown = (event: KeyboardEvent): void => {
    if (!movable) return;
    if (
      event.key === 'm' ||
      event.key === 'M' ||
      event.key === 'ContextMenu' ||
      (event.shiftKey && event.key === 'F10')
    ) {
      event.preventDefault();
      props.onMoveMenu();
    }
  };
  const size = tile.hasStats ? `${formatCount(tile.rows)} rows · ${formatBytes(tile.bytes)}` : 'no statistics yet';
  return (
    <button
      type="button"
      className={`tile role-${role}${selected ? ' selected' : ''}${dragging ? ' dragging' : ''}`}
      style={{ '--hue': tableHue(tile.schema, tile.table) } as CSSProperties}
      data-region-id={tile.regionId}
      data-role={role}
      aria-label={`${tile.schema}.${tile.table} region ${tile.regionNumber}${status ? `, ${status}` : ''}`}
      aria-pressed={selected}
      aria-haspopup={movable ? 'menu' : undefined}
      title={`${tile.schema}.${tile.table} · region ${tile.regionNumber} (${tile.regionId})\n${tile.expression ?? 'one region: no partition rule'}${movable ? '\nDrag to another datanode, or press M, to move it' : ''}`}
      tabIndex={role === 'ghost' ? -1 : 0}
      onClick={props.onOpen}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => {
        if (!movable) return;
        event.preventDefault();
        props.onMoveMenu();
      }}
      onPointerDown={movable ? props.onPointerDown : undefined}
    >
      <span className="tile-head">
        <span className="tile-table">{tile.table}</span>
        <span className="tile-region">r{tile.regionNumber}</span>
      </span>
      <span className="tile-expr">{tile.expression ?? 'whole table'}</span>
      <span className="tile-foot">
        <span>{size}</span>
        {status ? (
          <span className="tile-badge">{status}</span>
        ) : tile.status !== 'ALIVE' ? (
          <span className="tile-badge warn">{tile.status.toLowerCase()}</span>
        ) : null}
      </span>
    </button>
  );
}
