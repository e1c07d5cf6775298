/** The side panel for one region: its table, partition rule, where it lives, its statistics. */
import type { CSSProperties } from 'react';
import type { BoardModel } from './board-model.ts';
import { formatBytes, formatCount } from './format.ts';
import type { Migration } from './migration-machine.ts';
import { tableHue } from './table-colour.ts';

export function RegionPanel(props: {
  model: BoardModel;
  regionId: string;
  migration: Migration | null;
  onQueryTable(schema: string, table: string): void;
  onMove(to: number): void;
  onClose(): void;
}) {
  const tile = props.model.regions.get(props.regionId);
  if (!tile) {
    return (
      <aside className="board-panel" aria-label="Region details">
        <div className="board-panel-head">
          <h2>Region {props.regionId}</h2>
          <button type="button" className="icon" aria-label="Close details" onClick={props.onClose}>
            ✕
          </button>
        </div>
        <p className="muted">This region is gone (its table was dropped).</p>
      </aside>
    );
  }
  const moving = props.migration?.phase === 'starting' || props.migration?.phase === 'moving';
  const stats: [string, string][] = tile.hasStats
    ? [
        ['Rows', formatCount(tile.rows)],
        ['Size', formatBytes(tile.bytes)],
        ['Memtable', formatBytes(tile.memtableBytes)],
        ['SST files', `${tile.sstFiles} · ${formatBytes(tile.sstBytes)}`],
        ['Index', formatBytes(tile.indexBytes)],
        ['Manifest', formatBytes(tile.manifestBytes)],
      ]
    : [];
  return (
    <aside
      className="board-panel"
      aria-label="Region details"
      style={{ '--hue': tableHue(tile.schema, tile.table) } as CSSProperties}
    >
      <div className="board-panel-head">
        <h2>
          <span className="swatch" aria-hidden="true" />
          {tile.table} <span className="muted">region {tile.regionNumber}</span>
        </h2>
        <button type="button" className="icon" aria-label="Close details" onClick={props.onClose}>
          ✕
        </button>
      </div>
      <dl className="kv">
        <dt>Table</dt>
        <dd>
          {tile.schema}.{tile.table}
        </dd>
        <dt>Region id</dt>
        <dd>
          <code>{tile.regionId}</code>
        </dd>
        <dt>Partition</dt>
        <dd>{tile.partitionName ?? '—'}</dd>
        <dt>Rule</dt>
        <dd>
          <code className="expr">{tile.expression ?? 'whole table (one region)'}</code>
        </dd>
        <dt>Datanode</dt>
        <dd>
          {tile.peerId} <span className="muted">{tile.peerAddr}</span>
        </dd>
        <dt>Status</dt>
        <dd>
          {moving
            ? `moving to datanode ${props.migration!.to}`
            : tile.status === 'ALIVE'
              ? 'alive'
              : tile.status.toLowerCase()}
        </dd>
        {stats.map(([label, value]) => (
          <div key={label} className="kv-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {!tile.hasStats && <p className="muted small">No statistics reported for this region yet.</p>}
      <button type="button" className="primary" onClick={() => props.onQueryTable(tile.schema, tile.table)}>
        Query this table
      </button>
      <h3>Move to</h3>
      <div className="move-targets">
        {props.model.datanodes
          .filter((c) => c.peer.id !== tile.peerId)
          .map(({ peer }) => (
            <button
              key={peer.id}
              type="button"
              disabled={moving || peer.status === 'down'}
              onClick={() => props.onMove(peer.id)}
            >
              Datanode {peer.id}
            </button>
          ))}
      </div>
    </aside>
  );
}
