/** Finding a column reference in a schema, with DataFusion's messages when it is missing or ambiguous. */
import { planError } from './errors.ts';
import type { PlanField } from './logical-plan.ts';
import { qualifiedNames } from './logical-plan.ts';

/** The index of `relation.name` (or unqualified `name`) in `fields`, or -1. Throws when ambiguous. */
export function findField(fields: PlanField[], relation: string | null, name: string): number {
  let found = -1;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.name !== name) continue;
    if (relation !== null && field.relation !== relation) continue;
    if (found !== -1 && relation === null) {
      if (fields[found].relation !== field.relation && !sameUsingColumn(fields, fields[found], field)) {
        throw planError(`Schema error: Ambiguous reference to unqualified field ${name}`);
      }
    }
    if (found === -1) found = i;
  }
  return found;
}

/** Like `findField`, but throws "No field named x. Valid fields are ..." when absent. */
export function resolveField(fields: PlanField[], relation: string | null, name: string): number {
  const index = findField(fields, relation, name);
  if (index !== -1) return index;
  const wanted = relation === null ? name : `${relation}.${name}`;
  const valid = qualifiedNames(fields);
  throw planError(
    valid.length === 0
      ? `No field named ${wanted}.`
      : `No field named ${wanted}. Valid fields are ${valid.join(', ')}.`,
  );
}

/** A column named with its relation, as USING / NATURAL joins pair them. */
export interface QualifiedColumn {
  relation: string | null;
  name: string;
}

/**
 * The USING / NATURAL column sets of a join's schema, remembered by the schema array (the planner
 * resolves names against that same array). An unqualified name matching columns of one set is not
 * ambiguous (it means the join key), and `*` shows each set once.
 */
const usingColumns = new WeakMap<PlanField[], QualifiedColumn[][]>();

export function registerUsingColumns(fields: PlanField[], sets: QualifiedColumn[][]): void {
  usingColumns.set(fields, [...(usingColumns.get(fields) ?? []), ...sets]);
}

/** Carries the sets of a join's inputs to its own schema (nested joins). */
export function inheritUsingColumns(fields: PlanField[], ...inputs: PlanField[][]): void {
  const sets = inputs.flatMap((input) => usingColumns.get(input) ?? []);
  if (sets.length > 0) registerUsingColumns(fields, sets);
}

function inSet(set: QualifiedColumn[], field: PlanField): boolean {
  return set.some((column) => column.relation === field.relation && column.name === field.name);
}

function sameUsingColumn(fields: PlanField[], a: PlanField, b: PlanField): boolean {
  return (usingColumns.get(fields) ?? []).some((set) => inSet(set, a) && inSet(set, b));
}

/**
 * The columns an unqualified `*` leaves out: of each set all but the first in (relation, name)
 * order, which is the one DataFusion keeps.
 */
export function usingExcludedColumns(fields: PlanField[]): QualifiedColumn[] {
  const excluded: QualifiedColumn[] = [];
  for (const set of usingColumns.get(fields) ?? []) {
    const sorted = [...set].sort((x, y) =>
      (x.relation ?? '') < (y.relation ?? '')
        ? -1
        : (x.relation ?? '') > (y.relation ?? '')
          ? 1
          : x.name < y.name
            ? -1
            : 1,
    );
    const kept = new Set<string>();
    for (const column of sorted) {
      if (kept.has(column.name)) excluded.push(column);
      else kept.add(column.name);
    }
  }
  return excluded;
}
