/**
 * The keyboard way to move a region: a menu of the other datanodes (down ones disabled).
 * Arrow keys move, Enter picks, Escape closes; focus returns to the tile.
 */
import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { ClusterPeer } from './board-model.ts';

export function MoveMenu(props: {
  label: string;
  from: number;
  targets: ClusterPeer[];
  onPick(peerId: number): void;
  onClose(): void;
}) {
  const menu = useRef<HTMLDivElement>(null);
  // The tile that opened the menu gets the focus back when the keyboard closes it or picks.
  const opener = useRef(document.activeElement instanceof HTMLElement ? document.activeElement : null);
  const closeTo = (pick?: number): void => {
    if (pick === undefined) props.onClose();
    else props.onPick(pick);
    opener.current?.focus();
  };
  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, []);
  const items = (): HTMLButtonElement[] => [
    ...(menu.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? []),
  ];
  const onKeyDown = (event: KeyboardEvent): void => {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      list[(index + step + list.length) % list.length]?.focus();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      closeTo();
    }
  };
  const others = props.targets.filter((peer) => peer.id !== props.from);
  return (
    <div
      className="move-menu"
      role="menu"
      aria-label={`Move ${props.label} to`}
      ref={menu}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!menu.current?.contains(event.relatedTarget as Node | null)) props.onClose();
      }}
    >
      <div className="move-menu-title">Move to</div>
      {others.length === 0 && <div className="move-menu-empty">No other datanode</div>}
      {others.map((peer) => (
        <button
          key={peer.id}
          type="button"
          role="menuitem"
          data-target={peer.id}
          disabled={peer.status === 'down'}
          onClick={() => closeTo(peer.id)}
        >
          <span className={`pill ${peer.status}`} aria-hidden="true" />
          Datanode {peer.id}
          <span className="muted small">{peer.status === 'down' ? 'down' : peer.addr}</span>
        </button>
      ))}
    </div>
  );
}
