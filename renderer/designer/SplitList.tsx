/** The exact form of an axis: each split as an editable value, a remove button, and "add a split at…". */
import { useState } from 'react';
import { formatSplit } from './split-text.ts';
import { canMoveSplit, parseSplitValue } from './key-span.ts';
import type { KeyAxis } from './key-span.ts';
import type { PartitionValue } from '../../engine/partition/index.ts';

interface Props {
  axis: KeyAxis;
  onMove(index: number, value: PartitionValue): void;
  onRemove(index: number): void;
  onAdd(value: PartitionValue): void;
}

export function SplitList({ axis, onMove, onRemove, onAdd }: Props) {
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const add = (): void => {
    const value = parseSplitValue(axis.kind, draft);
    if (value === undefined) return setProblem(`'${draft}' is not a ${axis.kind === 'string' ? 'string' : 'number'}`);
    if (axis.splits.includes(value)) return setProblem(`${formatSplit(value)} is already a split`);
    setProblem(undefined);
    setDraft('');
    onAdd(value);
  };
  return (
    <div className="split-list" aria-label={`Splits of ${axis.column}`} role="group">
      {axis.splits.map((split, index) => (
        <SplitField
          key={`${index}:${String(split)}`}
          axis={axis}
          index={index}
          value={split}
          onCommit={(value) => onMove(index, value)}
          onRemove={() => onRemove(index)}
        />
      ))}
      <span className="split-add">
        <input
          aria-label={`New split on ${axis.column}`}
          placeholder={axis.kind === 'string' ? 'key, e.g. m' : 'value, e.g. 1000'}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && add()}
        />
        <button type="button" onClick={add} disabled={draft === ''}>
          Add split
        </button>
      </span>
      {problem && <span className="error-text small">{problem}</span>}
    </div>
  );
}

function SplitField(props: {
  axis: KeyAxis;
  index: number;
  value: PartitionValue;
  onCommit(value: PartitionValue): void;
  onRemove(): void;
}) {
  const { axis, index, value } = props;
  const [text, setText] = useState(String(value));
  const parsed = parseSplitValue(axis.kind, text);
  const valid = parsed !== undefined && (parsed === value || canMoveSplit(axis, index, parsed));
  const commit = (): void => {
    if (valid && parsed !== value) props.onCommit(parsed);
    else setText(String(value));
  };
  return (
    <span className="split-field">
      <input
        aria-label={`Split ${index + 1} of ${axis.column}`}
        aria-invalid={!valid}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(String(value));
        }}
      />
      <button
        type="button"
        className="icon"
        aria-label={`Remove split ${index + 1} of ${axis.column}`}
        onClick={props.onRemove}
      >
        ×
      </button>
    </span>
  );
}
