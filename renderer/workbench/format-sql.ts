/**
 * A small SQL formatter: keywords upper-cased, each major clause on its own line, select
 * lists one item per line. Quoted text and comments are kept as written.
 */
const clauses = [
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP BY',
  'HAVING',
  'ORDER BY',
  'LIMIT',
  'OFFSET',
  'ALIGN',
  'FILL',
  'UNION ALL',
  'UNION',
  'LEFT JOIN',
  'RIGHT JOIN',
  'INNER JOIN',
  'FULL JOIN',
  'CROSS JOIN',
  'JOIN',
  'VALUES',
  'SET',
  'PARTITION ON',
  'ENGINE',
  'WITH',
];
const keywords = new Set(
  `select from where group by having order limit offset and or not in is null as on join left right inner full outer cross
  union all insert into values update set delete create table database drop if exists primary key time index tag
  timestamp string double float bigint int boolean asc desc distinct case when then else end between like show tables
  describe desc explain analyze with partition engine align fill range to count sum avg min max now interval`
    .split(/\s+/)
    .filter(Boolean),
);

export function formatSql(sql: string): string {
  const tokens: string[] =
    sql.match(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|--[^\n]*|\/\*[\s\S]*?\*\/|\w+|\s+|./g) ?? [];
  let out = '';
  let depth = 0;
  let inSelectList = false;
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i]!;
    if (/^\s+$/.test(token)) {
      if (!/[\s(]$/.test(out) && out !== '') out += ' ';
      continue;
    }
    if (/^\w+$/.test(token) && keywords.has(token.toLowerCase())) token = token.toUpperCase();
    const next = tokens.slice(i + 1).find((t) => !/^\s+$/.test(t));
    const pair = next && /^\w+$/.test(next) ? `${token} ${next.toUpperCase()}` : '';
    const clause = depth === 0 && (clauses.includes(pair) ? pair : clauses.includes(token) ? token : '');
    if (clause) {
      out = out.trimEnd();
      if (out !== '' && !out.endsWith('(')) out += '\n';
      inSelectList = clause === 'SELECT';
      if (clause === pair) {
        out += clause;
        i = tokens.indexOf(next!, i + 1);
        continue;
      }
      if (clause === 'SELECT') {
        out += 'SELECT\n  ';
        continue;
      }
    }
    if (token === '(') depth++;
    if (token === ')') depth = Math.max(0, depth - 1);
    if (token === ',' && depth === 0 && inSelectList) {
      out = out.trimEnd() + ',\n  ';
      continue;
    }
    if (token === ';') {
      out = out.trimEnd() + ';\n\n';
      inSelectList = false;
      continue;
    }
    out += token;
  }
  return out.trim();
}
