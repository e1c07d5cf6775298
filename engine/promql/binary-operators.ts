/**
 * Binary operators with Prometheus 2.x vector matching: arithmetic and comparisons between
 * scalars and vectors, `on`/`ignoring`, `group_left`/`group_right` with included labels,
 * `bool`, and the set operators `and`/`or`/`unless`. Matching is decided once per series
 * pair; values are computed step by step on typed arrays.
 */
import type { BinaryExpr, VectorMatching } from './ast.ts';
import { isComparison, isSetOperator } from './parser.ts';
import { promqlArgumentError } from './promql-error.ts';
import { emptySeries, labelsKey } from './values.ts';
import type { EvalValue, Labels, StepSeries } from './values.ts';

/** `lhs op rhs` on two floats; comparisons give 1 (true) or 0. */
export function applyOperator(op: string, lhs: number, rhs: number): number {
  switch (op) {
    case '+':
      return lhs + rhs;
    case '-':
      return lhs - rhs;
    case '*':
      return lhs * rhs;
    case '/':
      return lhs / rhs;
    case '%':
      return lhs % rhs;
    case '^':
      return Math.pow(lhs, rhs);
    case 'atan2':
      return Math.atan2(lhs, rhs);
    case '==':
      return lhs === rhs ? 1 : 0;
    case '!=':
      return lhs !== rhs ? 1 : 0;
    case '<':
      return lhs < rhs ? 1 : 0;
    case '<=':
      return lhs <= rhs ? 1 : 0;
    case '>':
      return lhs > rhs ? 1 : 0;
    case '>=':
      return lhs >= rhs ? 1 : 0;
    default:
      throw promqlArgumentError(`operator ${op} is not supported between numbers`);
  }
}

function dropsName(op: string, returnBool: boolean): boolean {
  return !isComparison(op) || returnBool;
}

function withoutName(labels: Labels): Labels {
  const copy = { ...labels };
  delete copy.__name__;
  return copy;
}

/** The matching key of a series: the `on` labels, or every label but `__name__` and the `ignoring` ones. */
function signature(labels: Labels, matching: VectorMatching): string {
  const kept: Labels = {};
  if (matching.on) {
    for (const name of matching.labels) if (labels[name] !== undefined) kept[name] = labels[name];
  } else {
    for (const [name, value] of Object.entries(labels)) {
      if (name !== '__name__' && !matching.labels.includes(name)) kept[name] = value;
    }
  }
  return labelsKey(kept);
}

/** Evaluates `expr` given its evaluated sides over `n` steps. */
export function evaluateBinary(expr: BinaryExpr, lhs: EvalValue, rhs: EvalValue, n: number): EvalValue {
  const { op, returnBool } = expr;
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = applyOperator(op, lhs.values[i], rhs.values[i]);
    return { kind: 'scalar', values };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar')
    return { kind: 'vector', series: vectorScalar(op, returnBool, lhs.series, rhs.values, false, n) };
  if (lhs.kind === 'scalar' && rhs.kind === 'vector')
    return { kind: 'vector', series: vectorScalar(op, returnBool, rhs.series, lhs.values, true, n) };
  if (lhs.kind !== 'vector' || rhs.kind !== 'vector')
    throw promqlArgumentError(`operator ${op} needs scalars or instant vectors`);
  const matching = expr.matching ?? { card: 'one-to-one', on: false, labels: [], include: [] };
  if (isSetOperator(op)) return { kind: 'vector', series: setOperation(op, lhs.series, rhs.series, matching, n) };
  return { kind: 'vector', series: vectorVector(op, returnBool, lhs.series, rhs.series, matching, n) };
}

function vectorScalar(
  op: string,
  returnBool: boolean,
  series: StepSeries[],
  scalar: Float64Array,
  scalarLeft: boolean,
  n: number,
): StepSeries[] {
  const comparison = isComparison(op);
  const out: StepSeries[] = [];
  for (const s of series) {
    const result = emptySeries(dropsName(op, returnBool) ? withoutName(s.labels) : s.labels, n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!s.present[i]) continue;
      const v = s.values[i];
      let value = scalarLeft ? applyOperator(op, scalar[i], v) : applyOperator(op, v, scalar[i]);
      if (comparison) {
        if (!returnBool) {
          if (value === 0) continue;
          value = v;
        }
      }
      result.values[i] = value;
      result.present[i] = 1;
      any = true;
    }
    if (any) out.push(result);
  }
  return out;
}

function setOperation(
  op: string,
  lhs: StepSeries[],
  rhs: StepSeries[],
  matching: VectorMatching,
  n: number,
): StepSeries[] {
  const bySignature = (series: StepSeries[]) => {
    const map = new Map<string, StepSeries[]>();
    for (const s of series) {
      const key = signature(s.labels, matching);
      const group = map.get(key);
      if (group) group.push(s);
      else map.set(key, [s]);
    }
    return map;
  };
  const presentIn = (group: StepSeries[] | undefined, i: number) =>
    group !== undefined && group.some((s) => s.present[i] === 1);
  const out: StepSeries[] = [];
  const filter = (series: StepSeries[], other: Map<string, StepSeries[]>, keepWhenPresent: boolean) => {
    for (const s of series) {
      const group = other.get(signature(s.labels, matching));
      const present = new Uint8Array(n);
      let any = false;
      for (let i = 0; i < n; i++) {
        if (s.present[i] && presentIn(group, i) === keepWhenPresent) {
          present[i] = 1;
          any = true;
        }
      }
      if (any) out.push({ ...s, present });
    }
  };
  if (op === 'and') filter(lhs, bySignature(rhs), true);
  else if (op === 'unless') filter(lhs, bySignature(rhs), false);
  else {
    out.push(...lhs);
    filter(rhs, bySignature(lhs), false);
  }
  return out;
}

function resultLabels(op: string, returnBool: boolean, many: Labels, one: Labels, matching: VectorMatching): Labels {
  let labels: Labels = { ...many };
  if (dropsName(op, returnBool)) delete labels.__name__;
  if (matching.card === 'one-to-one') {
    if (matching.on) {
      const kept: Labels = {};
      for (const name of matching.labels) if (labels[name] !== undefined) kept[name] = labels[name];
      labels = kept;
    } else {
      for (const name of matching.labels) delete labels[name];
    }
  }
  for (const name of matching.include) {
    if (one[name] !== undefined) labels[name] = one[name];
    else delete labels[name];
  }
  return labels;
}

function vectorVector(
  op: string,
  returnBool: boolean,
  lhs: StepSeries[],
  rhs: StepSeries[],
  matching: VectorMatching,
  n: number,
): StepSeries[] {
  const swap = matching.card === 'one-to-many';
  const manySide = swap ? rhs : lhs;
  const oneSide = swap ? lhs : rhs;
  const comparison = isComparison(op);
  const oneGroups = new Map<string, StepSeries[]>();
  for (const s of oneSide) {
    const key = signature(s.labels, matching);
    const group = oneGroups.get(key);
    if (group) group.push(s);
    else oneGroups.set(key, [s]);
  }
  for (const group of oneGroups.values()) {
    if (group.length < 2) continue;
    for (let i = 0; i < n; i++) {
      let count = 0;
      for (const s of group) count += s.present[i];
      if (count > 1) {
        const side = swap ? 'left' : 'right';
        throw promqlArgumentError(
          `found duplicate series for the match group on the ${side} hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
    }
  }
  const matchedAt = matching.card === 'one-to-one' ? new Map<string, Uint8Array>() : null;
  const results = new Map<string, StepSeries>();
  const resultsByPair = new Map<string, Labels>();
  for (const many of manySide) {
    const key = signature(many.labels, matching);
    const candidates = oneGroups.get(key);
    if (candidates === undefined) continue;
    for (const one of candidates) {
      let labels: Labels | undefined;
      for (let i = 0; i < n; i++) {
        if (!many.present[i] || !one.present[i]) continue;
        if (matchedAt !== null) {
          let steps = matchedAt.get(key);
          if (!steps) matchedAt.set(key, (steps = new Uint8Array(n)));
          if (steps[i])
            throw promqlArgumentError(
              'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
            );
          steps[i] = 1;
        }
        const vl = swap ? one.values[i] : many.values[i];
        const vr = swap ? many.values[i] : one.values[i];
        let value = applyOperator(op, vl, vr);
        if (comparison && !returnBool) {
          if (value === 0) continue;
          value = vl;
        }
        if (labels === undefined) {
          const pairKey = `${labelsKey(many.labels)}\u0002${labelsKey(one.labels)}`;
          labels = resultsByPair.get(pairKey) ?? resultLabels(op, returnBool, many.labels, one.labels, matching);
          resultsByPair.set(pairKey, labels);
        }
        const resultKey = labelsKey(labels);
        let result = results.get(resultKey);
        if (!result) results.set(resultKey, (result = emptySeries(labels, n)));
        if (result.present[i])
          throw promqlArgumentError('multiple matches for labels: grouping labels must ensure unique matches');
        result.values[i] = value;
        result.present[i] = 1;
      }
    }
  }
  return [...results.values()];
}
