/**
 * Where each tile is drawn: the board model filtered (database, table), with migrations laid
 * over it — a moving region shows dimmed in its source column and as a ghost in its target; a
 * landed one sits in its target (even before the next refresh says so); a failed one snaps
 * back to where the model has it. Tiles are ordered by table, then region number, and grouped
 * by table when asked.
 */
import type { BoardModel, DatanodeColumn, RegionTile } from './board-model.ts';
import type { Migration, Migrations } from './migration-machine.ts';

export interface BoardFilter {
  /** '' for every database. */
  database: string;
  /** Case-insensitive substring of the table name; '' for all. */
  table: string;
  groupByTable: boolean;
}

/** `home`: at rest. `leaving`: moving away (dimmed). `ghost`: arriving. `landed`, `snapback`: animating. */
export type SlotRole = 'home' | 'leaving' | 'ghost' | 'landed' | 'snapback';

export interface TileSlot {
  tile: RegionTile;
  role: SlotRole;
  migration: Migration | null;
}

export interface TileGroup {
  /** `schema.table`, or '' when not grouping. */
  key: string;
  schema: string;
  table: string;
  slots: TileSlot[];
}

export interface ColumnLayout {
  column: DatanodeColumn;
  groups: TileGroup[];
  /** Regions at rest or arriving here, after the filter. */
  tileCount: number;
  /** 0–1: this node's rows (or regions, when no rows are known) against the busiest node's. */
  load: number;
}

export function matchesFilter(tile: RegionTile, filter: BoardFilter): boolean {
  if (filter.database && tile.schema !== filter.database) return false;
  const needle = filter.table.trim().toLowerCase();
  return needle === '' || tile.table.toLowerCase().includes(needle);
}

function compareTiles(a: TileSlot, b: TileSlot): number {
  return (
    a.tile.schema.localeCompare(b.tile.schema) ||
    a.tile.table.localeCompare(b.tile.table) ||
    a.tile.regionNumber - b.tile.regionNumber ||
    // A ghost sorts after the region it joins; never equal, so the order is stable.
    (a.role === 'ghost' ? 1 : 0) - (b.role === 'ghost' ? 1 : 0)
  );
}

function groupSlots(slots: TileSlot[], byTable: boolean): TileGroup[] {
  slots.sort(compareTiles);
  if (!byTable) return slots.length ? [{ key: '', schema: '', table: '', slots }] : [];
  const groups: TileGroup[] = [];
  for (const slot of slots) {
    const key = `${slot.tile.schema}.${slot.tile.table}`;
    const last = groups.at(-1);
    if (last?.key === key) last.slots.push(slot);
    else groups.push({ key, schema: slot.tile.schema, table: slot.tile.table, slots: [slot] });
  }
  return groups;
}

export function layoutBoard(model: BoardModel, filter: BoardFilter, migrations: Migrations): ColumnLayout[] {
  const slotsByPeer = new Map<number, TileSlot[]>(model.datanodes.map((c) => [c.peer.id, []]));
  const place = (peer: number, slot: TileSlot): void => {
    slotsByPeer.get(peer)?.push(slot);
  };
  for (const tile of model.regions.values()) {
    if (!matchesFilter(tile, filter)) continue;
    const migration = migrations.get(tile.regionId) ?? null;
    const phase = migration?.phase;
    if (migration && (phase === 'starting' || phase === 'moving')) {
      place(tile.peerId, { tile, role: tile.peerId === migration.to ? 'home' : 'leaving', migration });
      if (tile.peerId !== migration.to) place(migration.to, { tile, role: 'ghost', migration });
    } else if (migration && phase === 'landed') {
      place(migration.to, { tile: { ...tile, peerId: migration.to }, role: 'landed', migration });
    } else if (migration && phase === 'failed') {
      place(tile.peerId, { tile, role: 'snapback', migration });
    } else {
      place(tile.peerId, { tile, role: 'home', migration: null });
    }
  }

  const busiest = Math.max(0, ...model.datanodes.map((c) => c.rows));
  const mostRegions = Math.max(0, ...model.datanodes.map((c) => c.regions.length));
  return model.datanodes.map((column) => {
    const slots = slotsByPeer.get(column.peer.id) ?? [];
    const load = busiest > 0 ? column.rows / busiest : mostRegions > 0 ? column.regions.length / mostRegions : 0;
    return {
      column,
      groups: groupSlots(slots, filter.groupByTable),
      tileCount: slots.filter((s) => s.role !== 'leaving').length,
      load,
    };
  });
}
