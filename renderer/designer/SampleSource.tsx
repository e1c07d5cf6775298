/** Where the rows to route come from: the table's own rows, generated ones, or pasted ones. */
import { useState } from 'react';
import type { Endpoint } from '../shared/greptime-http.ts';
import { kindOfColumn, sampleLimit, useDesigner } from './designer-store.ts';
import { generateSample, sampleFromText } from './row-sample.ts';

export function SampleSource({ endpoint }: { endpoint: Endpoint }) {
  const { existing, partitionColumns, columns, sample, loading } = useDesigner();
  const [rows, setRows] = useState(10_000);
  const [distribution, setDistribution] = useState<'uniform' | 'skewed'>('uniform');
  const [min, setMin] = useState(0);
  const [max, setMax] = useState(1000);
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const kindOf = kindOfColumn(columns);
  const typed = partitionColumns.map((name) => ({ name, kind: kindOf(name) ?? 'string' }));

  const generate = (): void => {
    setProblem(undefined);
    useDesigner.getState().setSample(
      generateSample(
        typed.map((c) => ({ ...c, min, max })),
        Math.min(rows, 1_000_000),
        distribution,
      ),
    );
  };
  const usePasted = (): void => {
    const result = sampleFromText(pasted, typed);
    if ('error' in result) return setProblem(result.error);
    setProblem(undefined);
    useDesigner.getState().setSample(result.sample);
  };

  return (
    <div className="sample-source">
      <p className="small">
        Sample: <strong data-testid="sample-source">{sample ? sample.source : 'none yet'}</strong>
        {loading && <span className="muted"> · {loading}</span>}
      </p>
      {existing && (
        <button type="button" onClick={() => void useDesigner.getState().sampleTable(endpoint)}>
          Sample {existing.table} again (up to {sampleLimit.toLocaleString('en-US')} rows)
        </button>
      )}
      <details open={!existing}>
        <summary>Generate rows</summary>
        <div className="sample-form">
          <label className="field">
            Rows
            <input
              type="number"
              className="narrow-wide"
              min={1}
              max={1_000_000}
              value={rows}
              onChange={(e) => setRows(Number(e.target.value))}
            />
          </label>
          <label className="field">
            Spread
            <select value={distribution} onChange={(e) => setDistribution(e.target.value as 'uniform' | 'skewed')}>
              <option value="uniform">uniform</option>
              <option value="skewed">skewed (hot low keys)</option>
            </select>
          </label>
          <label className="field">
            From
            <input type="number" className="narrow-wide" value={min} onChange={(e) => setMin(Number(e.target.value))} />
          </label>
          <label className="field">
            to
            <input type="number" className="narrow-wide" value={max} onChange={(e) => setMax(Number(e.target.value))} />
          </label>
          <button type="button" onClick={generate}>
            Generate
          </button>
        </div>
        <p className="muted small">String columns get keys key-000 … in the same range, so they sort as numbers do.</p>
      </details>
      <details>
        <summary>Paste rows</summary>
        <textarea
          aria-label="Pasted rows"
          rows={4}
          placeholder={`one row per line: ${partitionColumns.join(', ')}`}
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
        />
        <button type="button" onClick={usePasted} disabled={pasted.trim() === ''}>
          Route pasted rows
        </button>
      </details>
      {problem && <p className="error-text small">{problem}</p>}
    </div>
  );
}
