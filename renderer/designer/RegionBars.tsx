/**
 * How the sample's rows fall: a bar per region (rows and share) and the skew, max/mean.
 * Recomputed on every change of the rule from the rows already in memory.
 */
import type { RegionCounts } from './region-counts.ts';
import { regionStyle } from './region-colors.ts';

interface Props {
  counts: RegionCounts | undefined;
  exprs: string[];
  rowCount: number;
  why: string | undefined;
}

export function RegionBars({ counts, exprs, rowCount, why }: Props) {
  if (!counts) return <p className="muted small">{why}</p>;
  const max = Math.max(1, ...counts.counts);
  return (
    <div className="region-bars" data-testid="region-bars">
      <p className="skew">
        Skew (max/mean): <strong data-testid="skew">{counts.skew.toFixed(2)}</strong>
        <span className="muted small">
          {' '}
          over {rowCount.toLocaleString('en-US')} rows, {counts.counts.length} regions
        </span>
      </p>
      <ul className="list">
        {counts.counts.map((count, region) => (
          <li key={region} className="bar-row" aria-label={`Region ${region + 1}: ${count} rows`}>
            <span className="bar-name">R{region + 1}</span>
            <span className="bar-track">
              <span className="bar-fill" style={{ width: `${(count / max) * 100}%`, ...regionStyle(region) }} />
            </span>
            <span className="bar-count">
              {count.toLocaleString('en-US')}
              <span className="muted small"> {rowCount > 0 ? ((count / rowCount) * 100).toFixed(1) : '0.0'}%</span>
            </span>
            <code className="bar-expr muted small" title={exprs[region]}>
              {exprs[region] ?? '(all rows)'}
            </code>
          </li>
        ))}
      </ul>
    </div>
  );
}
