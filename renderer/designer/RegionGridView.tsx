/**
 * Two partition columns drawn as a grid: the first column's spans across, the second's down;
 * each cell is a region until cells are selected and merged (their expressions then join
 * with OR / AND). Cells are buttons: click or Space selects, Ctrl/Shift adds to the selection.
 */
import type { RowValue } from '../../engine/partition/index.ts';
import { spanOf } from './key-span.ts';
import type { KeyAxis } from './key-span.ts';
import { mergeCells, NO_REGION, spanCount, splitCells } from './region-layout.ts';
import type { RegionLayout } from './region-layout.ts';
import { regionStyle } from './region-colors.ts';
import { formatSplit } from './split-text.ts';

interface Props {
  layout: RegionLayout;
  selected: number[];
  counts: number[] | undefined;
  counterexample: Map<string, RowValue> | undefined;
  onSelect(cells: number[]): void;
  onChange(layout: RegionLayout): void;
}

function spanLabel(axis: KeyAxis, span: number): string {
  const low = span > 0 ? axis.splits[span - 1] : undefined;
  const high = span < axis.splits.length ? axis.splits[span] : undefined;
  if (low === undefined && high === undefined) return 'all';
  if (low === undefined) return `< ${formatSplit(high)}`;
  if (high === undefined) return `≥ ${formatSplit(low)}`;
  return `${formatSplit(low)} – ${formatSplit(high)}`;
}

export function RegionGridView({ layout, selected, counts, counterexample, onSelect, onChange }: Props) {
  const [xAxis, yAxis] = layout.axes as [KeyAxis, KeyAxis];
  const columns = spanCount(xAxis);
  const rows = spanCount(yAxis);
  const marked =
    counterexample && counterexample.has(xAxis.column) && counterexample.has(yAxis.column)
      ? spanOf(xAxis, counterexample.get(xAxis.column)) + spanOf(yAxis, counterexample.get(yAxis.column)) * columns
      : undefined;
  const toggle = (cell: number, extend: boolean): void => {
    if (!extend) onSelect(selected.length === 1 && selected[0] === cell ? [] : [cell]);
    else onSelect(selected.includes(cell) ? selected.filter((c) => c !== cell) : [...selected, cell]);
  };
  return (
    <div className="region-grid-wrap">
      <div className="grid-toolbar">
        <button
          type="button"
          disabled={selected.length < 2}
          onClick={() => (onChange(mergeCells(layout, selected)), onSelect([]))}
        >
          Merge selected cells
        </button>
        <button
          type="button"
          disabled={selected.length === 0}
          onClick={() => (onChange(splitCells(layout, selected)), onSelect([]))}
        >
          Separate selected cells
        </button>
        <span className="muted small">Click cells (Ctrl/Shift-click for more), then merge them into one region.</span>
      </div>
      <div
        className="region-grid"
        role="grid"
        aria-label={`Regions by ${xAxis.column} and ${yAxis.column}`}
        style={{ gridTemplateColumns: `auto repeat(${columns}, minmax(64px, 1fr))` }}
      >
        <div className="grid-corner small muted" role="columnheader">
          {yAxis.column} ↓ · {xAxis.column} →
        </div>
        {Array.from({ length: columns }, (_, x) => (
          <div key={`h${x}`} className="grid-axis-label small" role="columnheader">
            {spanLabel(xAxis, x)}
          </div>
        ))}
        {Array.from({ length: rows }, (_, y) => [
          <div key={`r${y}`} className="grid-axis-label small" role="rowheader">
            {spanLabel(yAxis, y)}
          </div>,
          ...Array.from({ length: columns }, (_, x) => {
            const cell = x + y * columns;
            const region = layout.cells[cell]!;
            const classes = [
              'region-cell',
              region === NO_REGION ? 'gap' : '',
              layout.overlaps.includes(cell) ? 'overlap' : '',
              cell === marked ? 'counterexample' : '',
            ].join(' ');
            return (
              <button
                key={cell}
                type="button"
                role="gridcell"
                className={classes}
                style={regionStyle(region)}
                aria-pressed={selected.includes(cell)}
                aria-label={`${xAxis.column} ${spanLabel(xAxis, x)}, ${yAxis.column} ${spanLabel(yAxis, y)}: ${region === NO_REGION ? 'no region' : `region ${region + 1}`}`}
                onClick={(e) => toggle(cell, e.ctrlKey || e.metaKey || e.shiftKey)}
              >
                {region === NO_REGION ? 'gap' : `R${region + 1}`}
                {counts && region !== NO_REGION && (
                  <span className="small muted"> {counts[region]?.toLocaleString('en-US')}</span>
                )}
              </button>
            );
          }),
        ])}
      </div>
    </div>
  );
}
