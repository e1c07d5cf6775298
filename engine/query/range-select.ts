/**
 * GreptimeDB's range query as a plan node's parts (`SELECT ts, host, avg(v) RANGE '5m' FILL
 * LINEAR FROM t ALIGN '1m' TO ... BY (host) FILL NULL`): each range aggregate, its window and
 * its FILL. The node (`range-select` in logical-plan.ts) groups rows by the BY keys and by
 * aligned time: `align_ts = alignTo + k * align`, and the aggregate at `align_ts` covers the
 * rows with `align_ts <= ts < align_ts + range` (GreptimeDB's range_select/plan.rs).
 */
import type { SqlType } from './data-type.ts';
import type { PlanExpr, ScalarValue } from './plan-expr.ts';

/** What fills a range aggregate's empty or NULL slots. */
export type RangeFill =
  | { kind: 'null' }
  | { kind: 'prev' }
  | { kind: 'linear' }
  /** `text` is how the value prints in the column name (`FILL 6`). */
  | { kind: 'const'; value: ScalarValue; text: string };

/** One range aggregate: `min(host.val) RANGE 5s FILL PREV`. */
export interface RangeFn {
  /** The output column name, GreptimeDB's: `<aggregate> RANGE <range>[ FILL <fill>]`. */
  name: string;
  /** The aggregate call (kind `aggregate`) over the node's input. */
  aggregate: PlanExpr;
  rangeMs: number;
  fill: RangeFill | null;
  /** The output type: the aggregate's, or Float64 when FILL LINEAR applies to an integer. */
  type: SqlType;
}

/** The FILL as it prints in a column name. */
export function formatRangeFill(fill: RangeFill): string {
  switch (fill.kind) {
    case 'null':
      return 'NULL';
    case 'prev':
      return 'PREV';
    case 'linear':
      return 'LINEAR';
    case 'const':
      return fill.text;
  }
}
