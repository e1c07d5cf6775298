/**
 * The side panel for one datanode: address, status, uptime, CPU and memory, its regions; in
 * the desktop app also restart / stop / start of its process (through `window.tessera`).
 */
import { useState } from 'react';
import type { DatanodeColumn } from './board-model.ts';
import { formatBytes, formatCount } from './format.ts';
import { slotOf } from './use-desktop-cluster.ts';
import type { DesktopCluster } from './use-desktop-cluster.ts';

export function NodePanel(props: {
  column: DatanodeColumn;
  desktop: DesktopCluster | null;
  onChanged(): void;
  onClose(): void;
}) {
  const { peer, regions, rows, bytes } = props.column;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const slot = props.desktop ? slotOf(props.desktop.status, peer.id) : null;
  const slotState = props.desktop?.status?.datanodes.find((d) => d.index === slot)?.state ?? null;

  const act = async (label: string, action: (slot: number) => Promise<unknown>): Promise<void> => {
    if (slot === null) return;
    setBusy(label);
    setError(null);
    try {
      await action(slot);
    } catch (e) {
      setError(`${label} datanode ${peer.id}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
      props.onChanged();
    }
  };

  const cpu =
    peer.totalCpuMillicores > 0
      ? `${(peer.cpuMillicores / 1000).toFixed(2)} of ${peer.totalCpuMillicores / 1000} cores`
      : '—';
  const memory =
    peer.memoryBytes > 0 ? `${formatBytes(peer.memoryBytes)} of ${formatBytes(peer.totalMemoryBytes)}` : '—';
  return (
    <aside className="board-panel" aria-label="Datanode details">
      <div className="board-panel-head">
        <h2>
          Datanode {peer.id} <span className={`pill ${peer.status}`}>{peer.status}</span>
        </h2>
        <button type="button" className="icon" aria-label="Close details" onClick={props.onClose}>
          ✕
        </button>
      </div>
      <dl className="kv">
        <dt>Address</dt>
        <dd>
          <code>{peer.addr || '—'}</code>
        </dd>
        {peer.statusReason && (
          <>
            <dt>Why</dt>
            <dd>{peer.statusReason}</dd>
          </>
        )}
        <dt>Host</dt>
        <dd>{peer.hostname || '—'}</dd>
        <dt>Version</dt>
        <dd>{peer.version || '—'}</dd>
        <dt>Uptime</dt>
        <dd>{peer.uptime ?? '—'}</dd>
        <dt>Heartbeat</dt>
        <dd>{peer.activeTime ?? '—'}</dd>
        <dt>CPU</dt>
        <dd>{cpu}</dd>
        <dt>Memory</dt>
        <dd>{memory}</dd>
        <dt>Regions</dt>
        <dd>{regions.length}</dd>
        <dt>Rows</dt>
        <dd>{formatCount(rows)}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(bytes)}</dd>
      </dl>
      {props.desktop && (
        <>
          <h3>Process</h3>
          {slot === null ? (
            <p className="muted small">This datanode is not one the desktop app started.</p>
          ) : (
            <>
              <p className="muted small">
                Slot {slot}
                {slotState ? ` · ${slotState}` : ''}
              </p>
              <div className="move-targets">
                <button
                  type="button"
                  disabled={busy !== null || slotState === 'stopped'}
                  onClick={() => void act('Restart', (s) => props.desktop!.api.restartDatanode(s))}
                >
                  {busy === 'Restart' ? 'Restarting…' : 'Restart'}
                </button>
                {slotState === 'stopped' ? (
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() => void act('Start', (s) => props.desktop!.api.startDatanode(s))}
                  >
                    {busy === 'Start' ? 'Starting…' : 'Start'}
                  </button>
                ) : (
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() => void act('Stop', (s) => props.desktop!.api.stopDatanode(s))}
                  >
                    {busy === 'Stop' ? 'Stopping…' : 'Stop'}
                  </button>
                )}
              </div>
            </>
          )}
          {error && (
            <p className="error-text small" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </aside>
  );
}
