/**
 * Pointer dragging of a tile onto a datanode column. Pointer events (not HTML5 drag and
 * drop) so the drop target can be highlighted and the preview styled; columns are found under
 * the pointer by their `data-peer-id`. A press that moves less than a few pixels is a click.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';

export interface TileDrag {
  regionId: string;
  from: number;
  /** Pointer position (client coordinates) for the floating preview. */
  x: number;
  y: number;
  /** The column under the pointer, if any. */
  overPeer: number | null;
}

const threshold = 5;

function peerUnder(x: number, y: number): number | null {
  const column = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-peer-id]');
  const id = column?.dataset.peerId;
  return id === undefined ? null : Number(id);
}

export function useTileDrag(onDrop: (regionId: string, to: number) => void): {
  drag: TileDrag | null;
  onPointerDown(event: ReactPointerEvent, regionId: string, from: number): void;
  /** True right after a drag ended, so the click that follows it is ignored. */
  consumeDragClick(): boolean;
} {
  const [drag, setDrag] = useState<TileDrag | null>(null);
  const cleanup = useRef<(() => void) | null>(null);
  const justDragged = useRef(false);
  const dropRef = useRef(onDrop);
  dropRef.current = onDrop;

  useEffect(() => () => cleanup.current?.(), []);

  const onPointerDown = useCallback((event: ReactPointerEvent, regionId: string, from: number): void => {
    if (event.button !== 0) return;
    cleanup.current?.();
    const startX = event.clientX;
    const startY = event.clientY;
    let current: TileDrag | null = null;

    const move = (e: PointerEvent): void => {
      if (!current && Math.hypot(e.clientX - startX, e.clientY - startY) < threshold) return;
      current = { regionId, from, x: e.clientX, y: e.clientY, overPeer: peerUnder(e.clientX, e.clientY) };
      setDrag(current);
      e.preventDefault();
    };
    const end = (drop: boolean): void => {
      stop();
      if (!current) return;
      justDragged.current = true;
      setTimeout(() => (justDragged.current = false), 0);
      setDrag(null);
      if (drop && current.overPeer !== null && current.overPeer !== from) dropRef.current(regionId, current.overPeer);
    };
    const up = (): void => end(true);
    const cancel = (): void => end(false);
    const key = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') end(false);
    };
    const stop = (): void => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
      window.removeEventListener('keydown', key);
      cleanup.current = null;
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
    window.addEventListener('keydown', key);
    cleanup.current = stop;
  }, []);

  const consumeDragClick = useCallback((): boolean => {
    const was = justDragged.current;
    justDragged.current = false;
    return was;
  }, []);

  return { drag, onPointerDown, consumeDragClick };
}
