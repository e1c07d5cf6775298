/**
 * The rule as CREATE TABLE sees it: the text form goes through engine/partition's own parser
 * and validator, so the designer accepts exactly what the server accepts. A failure keeps
 * the validator's message and, when it names one, the counterexample point.
 */
import { partitionRuleFromSpec, validatePartitionRule } from '../../engine/partition/index.ts';
import type { PartitionColumnKind, PartitionRule, RowValue } from '../../engine/partition/index.ts';

export type RuleCheck =
  | { ok: true; rule: PartitionRule }
  | {
      ok: false;
      message: string;
      /** Set when the rule parsed but is invalid: the parsed rule, for routing and drawing. */
      rule?: PartitionRule;
      /** The point the validator names (a value falling twice or nowhere), by column. */
      counterexample?: Map<string, RowValue>;
      problem?: 'overlap' | 'gap';
    };

/** Parses and validates `columns` + one expression per region. */
export function checkRule(
  columns: readonly string[],
  exprs: readonly string[],
  kindOf: (column: string) => PartitionColumnKind | undefined,
): RuleCheck {
  let rule: PartitionRule;
  try {
    rule = partitionRuleFromSpec({ columns: [...columns], exprs: [...exprs] }, kindOf);
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
  try {
    validatePartitionRule(rule);
    return { ok: true, rule };
  } catch (error) {
    const message = messageOf(error);
    const found = counterexampleOf(message);
    return { ok: false, message, rule, ...found };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The point in engine/partition's validation messages: "no partition covers a = 5, b = 'x';
 * ..." or "a = 900 is covered by both '...' and '...'".
 */
export function counterexampleOf(
  message: string,
): { counterexample: Map<string, RowValue>; problem: 'overlap' | 'gap' } | Record<string, never> {
  const gap = /no partition covers (.*?); add an expression/.exec(message);
  const overlap = /Invalid partition rule: (.*?) is covered by both /.exec(message);
  const text = gap?.[1] ?? overlap?.[1];
  if (text === undefined) return {};
  const point = new Map<string, RowValue>();
  const pattern = /\s*([^\s=]+) = ('(?:[^']|'')*'|NULL|[^,]+)(?:,|$)/y;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const raw = match[2]!.trim();
    const value: RowValue =
      raw === 'NULL' ? null : raw.startsWith("'") ? raw.slice(1, -1).replaceAll("''", "'") : Number(raw);
    point.set(match[1]!, value);
    if (pattern.lastIndex >= text.length) break;
  }
  return { counterexample: point, problem: gap ? 'gap' : 'overlap' };
}
