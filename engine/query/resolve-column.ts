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
      if (fields[found].relation !== field.relation) {
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
