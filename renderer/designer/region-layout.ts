/**
 * The drawing's model: one or two key axes, and the region of every cell of the grid they
 * make (one axis: one cell per span). Turns into the rule's expressions (one per region,
 * GreptimeDB's spelling through engine/partition) and back: a rule whose every expression
 * is constant on each cell can be drawn; one that is not (`a = 5`, `a <= 9.5`) is still a
 * valid rule, only not drawable.
 */
import { evaluateAt, formatPartitionExpr } from '../../engine/partition/index.ts';
import type { PartitionExpr, PartitionRule, PartitionValue, RowValue } from '../../engine/partition/index.ts';
import { canMoveSplit, spanProbes, withSplit } from './key-span.ts';
import type { KeyAxis } from './key-span.ts';

/** A gap: no region covers the cell. */
export const NO_REGION = -1;

export interface RegionLayout {
  /** One or two axes; the first runs across (x), the second down (y). */
  axes: KeyAxis[];
  /** The region of cell `x + y * spans(x axis)`, or NO_REGION; region numbers are 0..n-1. */
  cells: number[];
  /** Cells more than one expression covers (the drawing marks them; routing takes the first). */
  overlaps: number[];
}

export function spanCount(axis: KeyAxis | undefined): number {
  return axis ? axis.splits.length + 1 : 1;
}

export function regionCount(layout: RegionLayout): number {
  return layout.cells.reduce((max, region) => Math.max(max, region + 1), 0);
}

/** A layout with no splits: one region covering everything. */
export function emptyLayout(axes: KeyAxis[]): RegionLayout {
  return { axes: axes.map((axis) => ({ ...axis, splits: [] })), cells: [0], overlaps: [] };
}

/** One axis with these splits, each span its own region. */
export function layoutFromSplits(axis: KeyAxis): RegionLayout {
  return { axes: [axis], cells: axis.splits.map((_, i) => i).concat(axis.splits.length), overlaps: [] };
}

/**
 * Renumbers regions 0..n-1 in key order (the first cell of each, x before y), dropping empty
 * ones: region numbers, and so the DDL's expressions, follow the key space as GreptimeDB's do.
 */
function compact(layout: RegionLayout): RegionLayout {
  const used = [...new Set(layout.cells.filter((region) => region !== NO_REGION))];
  const renumber = new Map(used.map((region, index) => [region, index]));
  return { ...layout, cells: layout.cells.map((region) => (region === NO_REGION ? region : renumber.get(region)!)) };
}

/**
 * Adds a split on an axis. The span it cuts becomes two: the cells below keep their regions,
 * the cells above each become a new region (one axis: the new span is a new region).
 */
export function addSplit(layout: RegionLayout, axisIndex: number, value: PartitionValue): RegionLayout {
  const added = withSplit(layout.axes[axisIndex]!, value);
  if (!added) return layout;
  const axes = layout.axes.map((axis, i) => (i === axisIndex ? added.axis : axis));
  const oldX = spanCount(layout.axes[0]);
  const newX = spanCount(axes[0]);
  const newY = spanCount(axes[1]);
  let next = regionCount(layout);
  const cells: number[] = [];
  for (let y = 0; y < newY; y++) {
    for (let x = 0; x < newX; x++) {
      const along = axisIndex === 0 ? x : y;
      const fromAlong = along > added.span ? along - 1 : along;
      const fromX = axisIndex === 0 ? fromAlong : x;
      const fromY = axisIndex === 0 ? y : fromAlong;
      const old = layout.cells[fromX + fromY * oldX]!;
      cells.push(along === added.span + 1 && old !== NO_REGION ? next++ : old);
    }
  }
  return compact({ axes, cells, overlaps: [] });
}

/** Moves split `index` of an axis; a value that would pass a neighbour is refused (layout unchanged). */
export function moveSplit(layout: RegionLayout, axisIndex: number, index: number, value: PartitionValue): RegionLayout {
  const axis = layout.axes[axisIndex]!;
  if (!canMoveSplit(axis, index, value)) return layout;
  const splits = axis.splits.map((split, i) => (i === index ? value : split));
  return { ...layout, axes: layout.axes.map((a, i) => (i === axisIndex ? { ...a, splits } : a)) };
}

/** Removes split `index` of an axis: the spans on both sides join, taking the lower span's regions. */
export function removeSplit(layout: RegionLayout, axisIndex: number, index: number): RegionLayout {
  const axes = layout.axes.map((axis, i) =>
    i === axisIndex ? { ...axis, splits: axis.splits.filter((_, s) => s !== index) } : axis,
  );
  const oldX = spanCount(layout.axes[0]);
  const cells: number[] = [];
  for (let y = 0; y < spanCount(axes[1]); y++) {
    for (let x = 0; x < spanCount(axes[0]); x++) {
      const fromX = axisIndex === 0 && x > index ? x + 1 : x;
      const fromY = axisIndex === 1 && y > index ? y + 1 : y;
      cells.push(layout.cells[fromX + fromY * oldX]!);
    }
  }
  return compact({ axes, cells, overlaps: [] });
}

/** Makes the selected cells one region (the lowest-numbered among them). */
export function mergeCells(layout: RegionLayout, selected: readonly number[]): RegionLayout {
  const regions = selected.map((cell) => layout.cells[cell]!).filter((region) => region !== NO_REGION);
  const target = regions.length > 0 ? Math.min(...regions) : regionCount(layout);
  const chosen = new Set(selected);
  return compact({ ...layout, cells: layout.cells.map((region, cell) => (chosen.has(cell) ? target : region)) });
}

/** Gives each selected cell a region of its own. */
export function splitCells(layout: RegionLayout, selected: readonly number[]): RegionLayout {
  let next = regionCount(layout);
  const chosen = new Set(selected);
  const seen = new Set<number>();
  const cells = layout.cells.map((region, cell) => {
    if (!chosen.has(cell)) return region;
    // The first selected cell of each region keeps it; the others get new ones.
    if (region !== NO_REGION && !seen.has(region)) {
      seen.add(region);
      return region;
    }
    return next++;
  });
  return compact({ ...layout, cells });
}

/** `column` restricted to spans first..last (no condition for a side that is open). */
function spanRange(axis: KeyAxis, first: number, last: number): PartitionExpr | undefined {
  const lower: PartitionExpr | undefined =
    first > 0 ? { kind: 'compare', column: axis.column, op: '>=', value: axis.splits[first - 1]! } : undefined;
  const upper: PartitionExpr | undefined =
    last < axis.splits.length
      ? { kind: 'compare', column: axis.column, op: '<', value: axis.splits[last]! }
      : undefined;
  return lower && upper ? { kind: 'and', left: lower, right: upper } : (lower ?? upper);
}

function joined(kind: 'and' | 'or', parts: (PartitionExpr | undefined)[]): PartitionExpr | undefined {
  const present = parts.filter((part): part is PartitionExpr => part !== undefined);
  if (present.length < parts.length && kind === 'or') return undefined; // an unconditioned part covers everything
  return present.reduce<PartitionExpr | undefined>((left, right) => (left ? { kind, left, right } : right), undefined);
}

/** Runs of consecutive indices: [[first, last], ...]. */
function runs(indices: readonly number[]): [number, number][] {
  const result: [number, number][] = [];
  for (const index of indices) {
    const last = result.at(-1);
    if (last && last[1] === index - 1) last[1] = index;
    else result.push([index, index]);
  }
  return result;
}

/**
 * The expression of one region: for each x span its y spans as ranges, neighbouring x spans
 * with the same y ranges joined, then `x range AND (y ranges)` OR'ed together. Undefined
 * when the region is the whole key space.
 */
function regionExpr(layout: RegionLayout, region: number): PartitionExpr | undefined {
  const [xAxis, yAxis] = layout.axes;
  const xSpans = spanCount(xAxis);
  const ySpans = spanCount(yAxis);
  const columns: { x: number; yRuns: [number, number][] }[] = [];
  for (let x = 0; x < xSpans; x++) {
    const ys: number[] = [];
    for (let y = 0; y < ySpans; y++) if (layout.cells[x + y * xSpans] === region) ys.push(y);
    if (ys.length > 0) columns.push({ x, yRuns: runs(ys) });
  }
  const groups: { first: number; last: number; yRuns: [number, number][] }[] = [];
  for (const column of columns) {
    const last = groups.at(-1);
    if (last && last.last === column.x - 1 && JSON.stringify(last.yRuns) === JSON.stringify(column.yRuns)) {
      last.last = column.x;
    } else {
      groups.push({ first: column.x, last: column.x, yRuns: column.yRuns });
    }
  }
  const terms = groups.map((group) => {
    const xRange = xAxis ? spanRange(xAxis, group.first, group.last) : undefined;
    const yRange = yAxis
      ? joined(
          'or',
          group.yRuns.map(([first, last]) => spanRange(yAxis, first, last)),
        )
      : undefined;
    const term = joined('and', [xRange, yRange]);
    return term;
  });
  return joined('or', terms);
}

/** The rule's expressions, region by region, as GreptimeDB writes them. */
export function layoutExprs(layout: RegionLayout): PartitionExpr[] {
  const count = regionCount(layout);
  if (count < 2) return [];
  const exprs: PartitionExpr[] = [];
  for (let region = 0; region < count; region++) exprs.push(regionExpr(layout, region)!);
  return exprs;
}

export function layoutTexts(layout: RegionLayout): string[] {
  return layoutExprs(layout).map(formatPartitionExpr);
}

/**
 * The drawing of a rule, or why there is none. Splits are the constants each column is
 * compared with; every cell is probed (its lower split and a value inside) and must get the
 * same answer from every expression at each probe.
 */
export function layoutOfRule(rule: PartitionRule): { layout: RegionLayout } | { reason: string } {
  if (rule.columns.length > 2) return { reason: 'The drawing shows rules on one or two columns.' };
  if (rule.regions.length === 0)
    return { layout: emptyLayout(rule.columns.map((c) => ({ column: c.name, kind: c.kind, splits: [] }))) };
  const regions = rule.regions.map((expr) => normalizeIntegerBounds(expr, rule));
  const axes: KeyAxis[] = rule.columns.map((column) => ({
    column: column.name,
    kind: column.kind,
    splits: constantsOf(regions, column.name),
  }));
  const names = axes.map((axis) => axis.column);
  const xSpans = spanCount(axes[0]);
  const ySpans = spanCount(axes[1]);
  const cells: number[] = [];
  const overlaps: number[] = [];
  const point = new Map<string, RowValue>();
  for (let y = 0; y < ySpans; y++) {
    for (let x = 0; x < xSpans; x++) {
      const probes = axes.map((axis, i) => spanProbes(axis, i === 0 ? x : y));
      let answer: string | undefined;
      let first = NO_REGION;
      let consistent = true;
      forEachCombination(probes, (values) => {
        values.forEach((value, i) => point.set(names[i]!, value));
        const matching = regions.flatMap((expr, region) => (evaluateAt(expr, point) ? [region] : []));
        const key = matching.join(',');
        if (answer === undefined) {
          answer = key;
          first = matching[0] ?? NO_REGION;
          if (matching.length > 1) overlaps.push(x + y * xSpans);
        } else if (answer !== key) consistent = false;
      });
      if (!consistent) {
        const where = axes.map((axis, i) => `${axis.column} span ${i === 0 ? x + 1 : y + 1}`).join(', ');
        return {
          reason: `The drawing cannot show this rule: a region's edge is not a split point (${where}). It is still checked and used.`,
        };
      }
      cells.push(first);
    }
  }
  const used = new Set(cells);
  const missing = rule.regions.findIndex((_, region) => !used.has(region));
  if (missing !== -1) {
    return { reason: `The drawing cannot show this rule: region ${missing + 1} holds no span of its own.` };
  }
  return { layout: { axes, cells, overlaps } };
}

function forEachCombination(lists: RowValue[][], visit: (values: RowValue[]) => void): void {
  const walk = (depth: number, values: RowValue[]): void => {
    if (depth === lists.length) return visit(values);
    for (const value of lists[depth]!) walk(depth + 1, [...values, value]);
  };
  walk(0, []);
}

function constantsOf(exprs: readonly PartitionExpr[], column: string): PartitionValue[] {
  const found = new Set<PartitionValue>();
  const visit = (expr: PartitionExpr): void => {
    if (expr.kind === 'compare') {
      if (expr.column === column) found.add(expr.value);
    } else {
      visit(expr.left);
      visit(expr.right);
    }
  };
  exprs.forEach(visit);
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** On an integer column `a <= 9` is `a < 10` and `a > 9` is `a >= 10`: the split is 10 either way. */
function normalizeIntegerBounds(expr: PartitionExpr, rule: PartitionRule): PartitionExpr {
  if (expr.kind !== 'compare') {
    return { ...expr, left: normalizeIntegerBounds(expr.left, rule), right: normalizeIntegerBounds(expr.right, rule) };
  }
  const kind = rule.columns.find((column) => column.name === expr.column)?.kind;
  if (kind !== 'integer' || typeof expr.value !== 'number' || !Number.isInteger(expr.value)) return expr;
  if (expr.op === '<=') return { ...expr, op: '<', value: expr.value + 1 };
  if (expr.op === '>') return { ...expr, op: '>=', value: expr.value + 1 };
  return expr;
}
