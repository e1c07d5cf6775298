/**
 * EXPLAIN output as a tree: each plan text's lines nest by their indentation, as DataFusion
 * and GreptimeDB print them (`plan_type` / `plan` columns).
 */
import type { Table } from 'apache-arrow';

interface PlanNode {
  label: string;
  children: PlanNode[];
}

export function planTrees(table: Table): { type: string; root: PlanNode[] }[] {
  const planIndex = table.schema.fields.findIndex((f) => f.name.toLowerCase() === 'plan');
  const typeIndex = table.schema.fields.findIndex((f) => f.name.toLowerCase() === 'plan_type');
  if (planIndex < 0) return [];
  const plans = table.getChildAt(planIndex)!;
  const types = typeIndex >= 0 ? table.getChildAt(typeIndex) : null;
  const out: { type: string; root: PlanNode[] }[] = [];
  for (let row = 0; row < table.numRows; row++) {
    const text = String(plans.get(row) ?? '');
    const root: PlanNode[] = [];
    const stack: { indent: number; node: PlanNode }[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const indent = line.length - line.trimStart().length;
      const node: PlanNode = { label: line.trim(), children: [] };
      while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
      if (stack.length === 0) root.push(node);
      else stack.at(-1)!.node.children.push(node);
      stack.push({ indent, node });
    }
    out.push({ type: types ? String(types.get(row)) : `plan ${row + 1}`, root });
  }
  return out;
}

function Node({ node }: { node: PlanNode }) {
  const [name, ...rest] = node.label.split(':');
  return (
    <li role="treeitem" aria-expanded={node.children.length > 0 ? true : undefined}>
      <span className="plan-op">{name}</span>
      {rest.length > 0 && <span className="plan-detail">:{rest.join(':')}</span>}
      {node.children.length > 0 && (
        <ul role="group">
          {node.children.map((child, i) => (
            <Node key={i} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function PlanTree({ table }: { table: Table }) {
  const trees = planTrees(table);
  if (trees.length === 0) return <p className="empty">This result is not a plan. Run EXPLAIN … to see one.</p>;
  return (
    <div className="plan">
      {trees.map((tree, i) => (
        <section key={i} aria-label={tree.type}>
          <h3>{tree.type}</h3>
          <ul role="tree" aria-label={tree.type}>
            {tree.root.map((node, j) => (
              <Node key={j} node={node} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
