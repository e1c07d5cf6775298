/**
 * The partition-rule designer (DESIGN §8): draw the split of the key space, see how rows
 * fall, get the DDL. Everything about the rule — parsing, validation, routing — is
 * engine/partition's own code, so what this accepts is what CREATE TABLE accepts.
 * Loaded as a lazy chunk: the workbench's first paint does not carry it.
 */
import { useMemo } from 'react';
import type { PartitionValue } from '../../engine/partition/index.ts';
import { useActiveEndpoint } from '../connections/connections-store.ts';
import { axisScale } from './axis-scale.ts';
import { DdlPreview } from './DdlPreview.tsx';
import { kindOfColumn, ruleExprs, useDesigner } from './designer-store.ts';
import { KeyAxisView } from './KeyAxisView.tsx';
import { countRegions } from './region-counts.ts';
import type { RegionCounts } from './region-counts.ts';
import { addSplit, moveSplit, removeSplit } from './region-layout.ts';
import type { RegionLayout } from './region-layout.ts';
import { RegionBars } from './RegionBars.tsx';
import { RegionGridView } from './RegionGridView.tsx';
import { checkRule } from './rule-check.ts';
import { SampleSource } from './SampleSource.tsx';
import { SourcePicker } from './SourcePicker.tsx';
import { SplitList } from './SplitList.tsx';

interface Props {
  onOpenInWorkbench(sql: string): void;
}

export default function PartitionDesigner({ onOpenInWorkbench }: Props) {
  const { endpoint } = useActiveEndpoint();
  const state = useDesigner();
  const { columns, partitionColumns, ruleText, drawing, sample, existing } = state;
  const kindOf = useMemo(() => kindOfColumn(columns), [columns]);
  const exprs = useMemo(() => ruleExprs(ruleText), [ruleText]);
  const check = useMemo(() => checkRule(partitionColumns, exprs, kindOf), [partitionColumns, exprs, kindOf]);

  // Routing runs on the rows in memory on every change: columnar, no query per move.
  const routed = useMemo((): { counts?: RegionCounts; why?: string } => {
    if (!sample) return { why: 'No sample yet: sample the table, generate rows or paste some.' };
    const rule = check.rule;
    if (!rule) return { why: 'The rule does not parse, so nothing is routed.' };
    if (rule.regions.length === 0) return { counts: { counts: [sample.rowCount], skew: 1 } };
    if (partitionColumns.some((name) => !sample.columns.has(name)))
      return { why: 'The sample lacks a partition column: sample again.' };
    try {
      return { counts: countRegions(rule, sample) };
    } catch (error) {
      return { why: error instanceof Error ? error.message : String(error) };
    }
  }, [check, sample, partitionColumns]);

  const layout = 'layout' in drawing ? drawing.layout : undefined;
  const axis = layout && layout.axes.length === 1 ? layout.axes[0] : undefined;
  // The scale follows the sample and the axis, not each move of a split (it would shift under the
  // pointer mid-drag); only a split outside it, typed in, rescales.
  const baseScale = useMemo(
    () => (axis ? axisScale(axis.kind, axis.splits, sample?.columns.get(axis.column)) : undefined),
    [axis?.kind, axis?.column, axis?.splits.length, sample],
  );
  const scale =
    axis &&
    baseScale &&
    baseScale.kind === 'linear' &&
    axis.splits.some((s) => Number(s) < baseScale.min || Number(s) > baseScale.max)
      ? axisScale(axis.kind, axis.splits, sample?.columns.get(axis.column))
      : baseScale;
  const counterexample = !check.ok ? check.counterexample : undefined;
  const partitionable = columns.filter((column) => kindOf(column.name) !== undefined);

  const setLayout = (next: RegionLayout): void => useDesigner.getState().setLayout(next);
  const choose = (index: number, name: string): void => {
    const next = [...partitionColumns];
    if (name === '') next.splice(index, 1);
    else next[index] = name;
    const distinct = [...new Set(next)];
    useDesigner.getState().setPartitionColumns(distinct);
    if (existing) void useDesigner.getState().sampleTable(endpoint);
  };

  return (
    <div className="designer" aria-label="Partition designer">
      <div className="designer-column">
        <SourcePicker endpoint={endpoint} />
        <section className="designer-card" aria-labelledby="designer-columns">
          <h3 id="designer-columns">Partition columns</h3>
          <div className="partition-columns">
            {[0, 1].map((index) => (
              <label key={index} className="field">
                {index === 0 ? 'First' : 'Second'}
                <select
                  aria-label={index === 0 ? 'First partition column' : 'Second partition column'}
                  value={partitionColumns[index] ?? ''}
                  disabled={index === 1 && partitionColumns.length === 0}
                  onChange={(e) => choose(index, e.target.value)}
                >
                  <option value="">{index === 0 ? 'choose…' : 'none'}</option>
                  {partitionable.map((column) => (
                    <option key={column.name} value={column.name}>
                      {column.name} ({kindOf(column.name)})
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
        </section>
        <section className="designer-card" aria-labelledby="designer-rows">
          <h3 id="designer-rows">How rows fall</h3>
          <SampleSource endpoint={endpoint} />
          <RegionBars counts={routed.counts} exprs={exprs} rowCount={sample?.rowCount ?? 0} why={routed.why} />
        </section>
      </div>
      <div className="designer-column wide">
        <section className="designer-card" aria-labelledby="designer-drawing">
          <h3 id="designer-drawing">Split of the key space</h3>
          {partitionColumns.length === 0 && <p className="muted">Choose a partition column.</p>}
          {partitionColumns.length > 0 && !layout && (
            <p className="notice" role="status">
              {'reason' in drawing ? drawing.reason : ''}
            </p>
          )}
          {layout && layout.axes.length === 1 && scale && (
            <>
              <KeyAxisView
                layout={layout}
                scale={scale}
                counts={routed.counts?.counts}
                counterexample={counterexample?.get(layout.axes[0]!.column)}
                hasCounterexample={counterexample?.has(layout.axes[0]!.column) ?? false}
                onChange={setLayout}
              />
              <SplitList
                axis={layout.axes[0]!}
                onAdd={(value: PartitionValue) => setLayout(addSplit(layout, 0, value))}
                onMove={(index, value) => setLayout(moveSplit(layout, 0, index, value))}
                onRemove={(index) => setLayout(removeSplit(layout, 0, index))}
              />
            </>
          )}
          {layout && layout.axes.length === 2 && (
            <>
              {layout.axes.map((axis, axisIndex) => (
                <SplitList
                  key={axis.column}
                  axis={axis}
                  onAdd={(value) => setLayout(addSplit(layout, axisIndex, value))}
                  onMove={(index, value) => setLayout(moveSplit(layout, axisIndex, index, value))}
                  onRemove={(index) => setLayout(removeSplit(layout, axisIndex, index))}
                />
              ))}
              <RegionGridView
                layout={layout}
                selected={state.selectedCells}
                counts={routed.counts?.counts}
                counterexample={counterexample}
                onSelect={(cells) => useDesigner.getState().setSelectedCells(cells)}
                onChange={setLayout}
              />
            </>
          )}
        </section>
        <section className="designer-card" aria-labelledby="designer-text">
          <h3 id="designer-text">Rule</h3>
          <p className="muted small">
            PARTITION ON COLUMNS ({partitionColumns.join(', ')}): one expression per region, one per line.
          </p>
          <textarea
            className="rule-text"
            aria-label="Rule expressions"
            spellCheck={false}
            rows={Math.max(3, exprs.length + 1)}
            value={ruleText}
            onChange={(e) => useDesigner.getState().setRuleText(e.target.value)}
          />
          <p className={check.ok ? 'rule-ok' : 'error-text'} role="status" data-testid="rule-status">
            {check.ok
              ? exprs.length === 0
                ? 'One region: no PARTITION clause. Add a split to partition the table.'
                : `Valid: ${exprs.length} regions, no overlap, no gap.`
              : check.message}
          </p>
          {layout && !check.ok && check.counterexample && (
            <p className="small muted">
              The {check.problem === 'gap' ? 'uncovered' : 'doubly covered'} value is marked on the drawing.
            </p>
          )}
        </section>
        <section className="designer-card" aria-labelledby="designer-ddl">
          <h3 id="designer-ddl">DDL</h3>
          <DdlPreview exprs={exprs} valid={check.ok} onOpenInWorkbench={onOpenInWorkbench} />
        </section>
      </div>
      {state.error && (
        <p className="error-text designer-error" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}
