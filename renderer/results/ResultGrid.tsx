/**
 * The results grid: TanStack Table v9 owns the columns, their sizing/resizing and the sort
 * state; the body is virtualized (TanStack Virtual) and reads cells straight from the Arrow
 * columns through a row permutation, so a million rows cost one Uint32Array, not a million
 * row objects. Keyboard: arrows move the selected cell, Ctrl/Cmd+C copies it,
 * Shift+Ctrl/Cmd+C copies its row.
 */
import { useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import {
  columnResizingFeature,
  columnSizingFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import type { ColumnDef, SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { cellText, columnViews, download, sortPermutation, toCsv } from './arrow-values.ts';
import type { ColumnView } from './arrow-values.ts';

const features = tableFeatures({ columnSizingFeature, columnResizingFeature, rowSortingFeature });
/** Rows are never materialized: the table model only carries columns. */
type RowRef = { index: number };
const noRows: RowRef[] = [];
const rowHeight = 28;

export function ResultGrid({ table, timeZone }: { table: Table; timeZone: string }) {
  const columns = useMemo(() => columnViews(table), [table]);
  const columnDefs = useMemo<ColumnDef<typeof features, RowRef>[]>(
    () =>
      columns.map((c, index) => ({
        id: String(index),
        header: c.name,
        // Never called (no rows are materialized); it makes the column sortable.
        accessorFn: (row: RowRef) => row.index,
        size: c.kind === 'time' ? 210 : 150,
        minSize: 60,
        sortDescFirst: false,
      })),
    [columns],
  );
  const [sorting, setSorting] = useState<SortingState>([]);
  const grid = useTable(
    {
      features,
      columns: columnDefs,
      data: noRows,
      manualSorting: true,
      enableSortingRemoval: true,
      columnResizeMode: 'onChange',
      state: { sorting },
      onSortingChange: setSorting,
    },
    (state) => ({ sorting: state.sorting, columnSizing: state.columnSizing }),
  );
  const rowCount = table.numRows;
  const order = useMemo(() => {
    const sort = sorting[0];
    if (!sort) return undefined;
    return sortPermutation(columns[Number(sort.id)]!, sort.desc, rowCount);
  }, [sorting, columns, rowCount]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
  });
  const [selected, setSelected] = useState<{ row: number; col: number } | undefined>();
  const [copied, setCopied] = useState('');
  const headers = grid.getHeaderGroups()[0]?.headers ?? [];
  const widths = headers.map((h) => h.getSize());
  const totalWidth = widths.reduce((a, b) => a + b, 56);
  const valueAt = (view: number, col: number): string => {
    const column = columns[col]!;
    return cellText(column.vector.get(order ? order[view]! : view), column.kind, timeZone);
  };

  const copy = async (text: string, what: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`Copied ${what}`);
    } catch {
      setCopied('Copy failed: clipboard not available');
    }
  };
  const copyCell = (): void => {
    if (selected) void copy(valueAt(selected.row, selected.col), 'cell');
  };
  const copyRow = (): void => {
    if (selected) void copy(columns.map((_, c) => valueAt(selected.row, c)).join('\t'), 'row');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (!selected && ['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight'].includes(event.key) && rowCount > 0) {
      setSelected({ row: 0, col: 0 });
      event.preventDefault();
      return;
    }
    if (!selected) return;
    const move = (row: number, col: number): void => {
      const next = {
        row: Math.max(0, Math.min(rowCount - 1, row)),
        col: Math.max(0, Math.min(columns.length - 1, col)),
      };
      setSelected(next);
      virtualizer.scrollToIndex(next.row);
      event.preventDefault();
    };
    if (event.key === 'ArrowDown') move(selected.row + 1, selected.col);
    else if (event.key === 'ArrowUp') move(selected.row - 1, selected.col);
    else if (event.key === 'ArrowLeft') move(selected.row, selected.col - 1);
    else if (event.key === 'ArrowRight') move(selected.row, selected.col + 1);
    else if (event.key === 'PageDown') move(selected.row + 20, selected.col);
    else if (event.key === 'PageUp') move(selected.row - 20, selected.col);
    else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c') {
      if (event.shiftKey) copyRow();
      else copyCell();
      event.preventDefault();
    }
  };

  return (
    <div className="grid-wrap">
      <div className="grid-toolbar" role="toolbar" aria-label="Result actions">
        <span className="muted" data-testid="row-count">
          {rowCount.toLocaleString('en-US')} rows × {columns.length} columns
        </span>
        <span className="spacer" />
        <span className="muted" role="status">
          {copied}
        </span>
        <button type="button" onClick={copyCell} disabled={!selected}>
          Copy cell
        </button>
        <button type="button" onClick={copyRow} disabled={!selected}>
          Copy row
        </button>
        <button type="button" onClick={() => download('result.csv', toCsv(columns, rowCount, order), 'text/csv')}>
          Export CSV
        </button>
        <button
          type="button"
          onClick={() =>
            download(
              'result.arrow',
              tableToIPC(table, 'file') as Uint8Array<ArrayBuffer>,
              'application/vnd.apache.arrow.file',
            )
          }
        >
          Export Arrow
        </button>
      </div>
      <div
        className="grid-scroll"
        ref={scrollRef}
        role="grid"
        aria-label="Query result"
        aria-rowcount={rowCount + 1}
        aria-colcount={columns.length}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="result-grid"
      >
        <div className="grid-header" role="row" aria-rowindex={1} style={{ width: totalWidth }}>
          <div className="grid-rownum" aria-hidden="true">
            #
          </div>
          {headers.map((header, col) => {
            const sorted = header.column.getIsSorted();
            const view: ColumnView = columns[col]!;
            return (
              <div
                key={header.id}
                role="columnheader"
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                className="grid-th"
                style={{ width: widths[col] }}
              >
                <button
                  type="button"
                  className="th-button"
                  onClick={header.column.getToggleSortingHandler()}
                  title={`Sort by ${view.name}`}
                >
                  <span className="th-name">{view.name}</span>
                  <span className="th-type">{view.type}</span>
                  <span className="th-sort" aria-hidden="true">
                    {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                  </span>
                </button>
                <div
                  className={`resizer${header.column.getIsResizing() ? ' resizing' : ''}`}
                  onMouseDown={header.getResizeHandler()}
                  onTouchStart={header.getResizeHandler()}
                  role="separator"
                  aria-orientation="vertical"
                  aria-label={`Resize ${view.name}`}
                />
              </div>
            );
          })}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), width: totalWidth, position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item, slot) => (
            <div
              // Keyed by screen slot, not row: a scroll updates the cells' text in place instead
              // of replacing every row element.
              key={slot}
              role="row"
              aria-rowindex={item.index + 2}
              className={`grid-row${item.index % 2 ? ' odd' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}
            >
              <div className="grid-rownum">{item.index + 1}</div>
              {columns.map((column, col) => {
                const text = valueAt(item.index, col);
                const isSelected = selected?.row === item.index && selected.col === col;
                return (
                  <div
                    key={col}
                    role="gridcell"
                    aria-selected={isSelected}
                    className={`grid-td ${column.kind}${text === 'NULL' ? ' null' : ''}${isSelected ? ' selected' : ''}`}
                    style={{ width: widths[col] }}
                    onClick={() => setSelected({ row: item.index, col })}
                  >
                    {text}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
