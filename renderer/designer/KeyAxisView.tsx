/**
 * One partition column drawn as a key axis: coloured spans (one region each), split handles
 * to drag or move with the arrow keys (Delete removes one), a click on the axis adds a split
 * there. The validator's counterexample, when there is one, is marked at its value.
 */
import { useRef } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { RowValue } from '../../engine/partition/index.ts';
import { positionOf, valueAt } from './axis-scale.ts';
import type { AxisScale } from './axis-scale.ts';
import { addSplit, moveSplit, NO_REGION, removeSplit } from './region-layout.ts';
import type { RegionLayout } from './region-layout.ts';
import { regionStyle } from './region-colors.ts';
import { formatSplit } from './split-text.ts';

interface Props {
  layout: RegionLayout;
  scale: AxisScale;
  counts: number[] | undefined;
  counterexample: RowValue | undefined;
  hasCounterexample: boolean;
  onChange(layout: RegionLayout): void;
}

export function KeyAxisView({ layout, scale, counts, counterexample, hasCounterexample, onChange }: Props) {
  const track = useRef<HTMLDivElement>(null);
  const dragging = useRef<number | undefined>(undefined);
  const axis = layout.axes[0]!;
  const positions = axis.splits.map((split) => positionOf(scale, split));
  const edges = [0, ...positions, 1];

  const positionFromEvent = (clientX: number): number => {
    const box = track.current!.getBoundingClientRect();
    return (clientX - box.left) / box.width;
  };
  const onTrackClick = (e: ReactPointerEvent<HTMLDivElement>): void => {
    if ((e.target as HTMLElement).closest('.split-handle')) return;
    onChange(addSplit(layout, 0, valueAt(scale, positionFromEvent(e.clientX))));
  };
  const onHandleMove = (e: ReactPointerEvent<HTMLButtonElement>, index: number): void => {
    if (dragging.current !== index) return;
    onChange(moveSplit(layout, 0, index, valueAt(scale, positionFromEvent(e.clientX))));
  };
  const nudge = (index: number, direction: number, large: boolean): void => {
    const current = axis.splits[index]!;
    let value;
    if (scale.kind === 'ordinal') {
      const at = Math.round(positionOf(scale, current) * scale.values.length - 0.5);
      value = scale.values[Math.min(scale.values.length - 1, Math.max(0, at + direction * (large ? 10 : 1)))]!;
    } else {
      const step = scale.integer
        ? Math.max(1, Math.round((scale.max - scale.min) / 100))
        : (scale.max - scale.min) / 100;
      value = valueAt(
        scale,
        positionOf(scale, current) + (direction * (large ? 10 : 1) * step) / (scale.max - scale.min),
      );
      if (scale.integer && value === current) value = Number(current) + direction;
    }
    onChange(moveSplit(layout, 0, index, value));
  };

  return (
    <div className="key-axis">
      <div
        ref={track}
        className="axis-track"
        onPointerDown={onTrackClick}
        title="Click to add a split here"
        role="group"
        aria-label={`Key axis of ${axis.column}`}
      >
        {edges.slice(0, -1).map((left, span) => {
          const region = layout.cells[span]!;
          const overlap = layout.overlaps.includes(span);
          return (
            <div
              key={span}
              className={`axis-span${region === NO_REGION ? ' gap' : ''}${overlap ? ' overlap' : ''}`}
              style={{ left: `${left * 100}%`, width: `${(edges[span + 1]! - left) * 100}%`, ...regionStyle(region) }}
            >
              <span className="axis-span-label">
                {region === NO_REGION ? 'gap' : `R${region + 1}`}
                {counts && region !== NO_REGION && counts[region] !== undefined
                  ? ` · ${counts[region]!.toLocaleString('en-US')}`
                  : ''}
              </span>
            </div>
          );
        })}
        {axis.splits.map((split, index) => (
          <button
            key={index}
            type="button"
            className="split-handle"
            style={{ left: `${positions[index]! * 100}%` }}
            aria-label={`Split ${index + 1} of ${axis.column} at ${formatSplit(split)}: arrows move it, Delete removes it`}
            onPointerDown={(e) => {
              dragging.current = index;
              e.currentTarget.setPointerCapture(e.pointerId);
            }}
            onPointerMove={(e) => onHandleMove(e, index)}
            onPointerUp={() => (dragging.current = undefined)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                nudge(index, e.key === 'ArrowLeft' ? -1 : 1, e.shiftKey);
                e.preventDefault();
              } else if (e.key === 'Delete' || e.key === 'Backspace') {
                onChange(removeSplit(layout, 0, index));
              }
            }}
          >
            <span className="split-value">{formatSplit(split)}</span>
          </button>
        ))}
        {hasCounterexample && (
          <div
            className="counterexample-marker"
            style={{ left: `${positionOf(scale, counterexample) * 100}%` }}
            data-testid="counterexample-marker"
          >
            <span>{`${axis.column} = ${formatSplit(counterexample)}`}</span>
          </div>
        )}
      </div>
      <div className="axis-ends small muted" aria-hidden="true">
        <span>{scale.kind === 'linear' ? formatSplit(Math.round(scale.min)) : formatSplit(scale.values[0])}</span>
        <span>{scale.kind === 'linear' ? formatSplit(Math.round(scale.max)) : formatSplit(scale.values.at(-1))}</span>
      </div>
    </div>
  );
}
