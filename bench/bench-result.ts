/** One measured figure. Every `bench/*.bench.ts` exports `run(): Promise<BenchResult[]>`. */
export interface BenchResult {
  /** What was measured, e.g. "unary round trip p50". */
  name: string;
  value: number;
  /** "µs", "calls/s", "rows/s", "MB/s", ... */
  unit: string;
  /** The conditions that matter when comparing runs (sizes, concurrency). */
  note?: string;
}
