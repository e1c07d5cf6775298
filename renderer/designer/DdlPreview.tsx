/** The CREATE TABLE for the design: a name, the text, copy, and open it in a workbench tab. */
import { useState } from 'react';
import { useDesigner, createSqlOf } from './designer-store.ts';
import { ddlWithRule } from './table-ddl.ts';

interface Props {
  exprs: string[];
  valid: boolean;
  onOpenInWorkbench(sql: string): void;
}

export function DdlPreview({ exprs, valid, onOpenInWorkbench }: Props) {
  const state = useDesigner();
  const [copied, setCopied] = useState(false);
  let ddl: string;
  let problem: string | undefined;
  try {
    ddl = ddlWithRule(createSqlOf(state), state.tableName, state.partitionColumns, exprs);
  } catch (error) {
    ddl = '';
    problem = error instanceof Error ? error.message : String(error);
  }
  const copy = async (): Promise<void> => {
    await navigator.clipboard.writeText(ddl);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="ddl-preview">
      <div className="ddl-toolbar">
        <label className="field">
          Table name
          <input
            aria-label="DDL table name"
            value={state.tableName}
            onChange={(e) => state.setTableName(e.target.value.trim())}
          />
        </label>
        {state.existing && (
          <button type="button" onClick={() => state.setTableName(state.existing!.table)}>
            Use {state.existing.table}
          </button>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => void copy()} disabled={!ddl}>
          {copied ? 'Copied' : 'Copy DDL'}
        </button>
        <button type="button" className="primary" onClick={() => onOpenInWorkbench(ddl)} disabled={!ddl}>
          Open in workbench
        </button>
      </div>
      {!valid && ddl && <p className="error-text small">The rule is not valid yet: CREATE TABLE would refuse it.</p>}
      {problem ? (
        <p className="error-text small">{problem}</p>
      ) : (
        <pre className="ddl-text" data-testid="ddl">
          {ddl}
        </pre>
      )}
    </div>
  );
}
