/**
 * Completion from the live cluster. SQL: keywords, functions, databases, the tables of the
 * tab's database and the columns of the tables the statement names. PromQL: metric names,
 * then label names inside `{…}` and label values after `label=`, from the Prometheus API.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';
import { activeEndpoint } from '../connections/connections-store.ts';
import { useSchema } from '../schema/schema-store.ts';
import { prometheusGet } from '../shared/greptime-http.ts';
import { useTabs } from '../workbench/tabs-store.ts';
import { promqlAggregations, promqlFunctions, promqlLanguageId } from './promql-language.ts';
import { sqlLanguageId } from './sql-language.ts';
import { sqlFunctions, sqlKeywords } from './sql-words.ts';

const activeDatabase = (): string => {
  const { tabs, activeId } = useTabs.getState();
  return tabs.find((t) => t.id === activeId)?.database ?? 'public';
};

export function registerCompletion(monaco: typeof MonacoApi): void {
  const Kind = monaco.languages.CompletionItemKind;

  monaco.languages.registerCompletionItemProvider(sqlLanguageId, {
    triggerCharacters: ['.', ' '],
    async provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const endpoint = activeEndpoint();
      const database = activeDatabase();
      const schema = useSchema.getState();
      schema.reset(endpoint.url);
      const suggestions: MonacoApi.languages.CompletionItem[] = [];
      const text = model.getValue();
      try {
        if (schema.databases.length === 0) await schema.loadDatabases(endpoint);
        const tables = useSchema.getState().tables[database] ?? (await schema.loadTables(endpoint, database));
        for (const table of tables)
          suggestions.push({
            label: table,
            kind: Kind.Struct,
            insertText: table,
            range,
            detail: `table in ${database}`,
          });
        const named = new Set(
          [...text.matchAll(/\b(?:from|join|into|table|update)\s+([A-Za-z_][\w]*)/gi)]
            .map((m) => m[1]!)
            .filter((t) => tables.includes(t)),
        );
        for (const table of named) {
          const key = `${database}.${table}`;
          const columns = useSchema.getState().columns[key] ?? (await schema.loadColumns(endpoint, database, table));
          for (const column of columns) {
            suggestions.push({
              label: column.name,
              kind: Kind.Field,
              insertText: column.name,
              range,
              detail: `${column.type} ${column.role.toLowerCase()} of ${table}`,
              sortText: `0${column.name}`,
            });
          }
        }
        for (const db of useSchema.getState().databases)
          suggestions.push({ label: db, kind: Kind.Module, insertText: db, range, detail: 'database' });
      } catch {
        // Completion still offers the language's own words when the cluster does not answer.
      }
      for (const keyword of sqlKeywords)
        suggestions.push({ label: keyword, kind: Kind.Keyword, insertText: keyword, range, sortText: `2${keyword}` });
      for (const fn of sqlFunctions)
        suggestions.push({
          label: fn,
          kind: Kind.Function,
          insertText: `${fn}(`,
          range,
          detail: 'function',
          sortText: `1${fn}`,
        });
      return { suggestions };
    },
  });

  const cache = new Map<string, { at: number; values: string[] }>();
  const cached = async (key: string, load: () => Promise<string[]>): Promise<string[]> => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < 30_000) return hit.values;
    const values = await load();
    cache.set(key, { at: Date.now(), values });
    return values;
  };

  monaco.languages.registerCompletionItemProvider(promqlLanguageId, {
    triggerCharacters: ['{', ',', '=', '"'],
    async provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const endpoint = activeEndpoint();
      const database = activeDatabase();
      const before = model.getValueInRange(new monaco.Range(1, 1, position.lineNumber, position.column));
      const open = before.lastIndexOf('{');
      const inLabels = open > before.lastIndexOf('}');
      const scope = `${endpoint.url}|${database}`;
      try {
        if (inLabels) {
          const metric = /([a-zA-Z_:][\w:]*)\s*$/.exec(before.slice(0, open))?.[1];
          const selector = metric ? { 'match[]': metric } : ({} as Record<string, string>);
          const valueMatch = /([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"?([^"]*)$/.exec(before.slice(open + 1));
          if (valueMatch) {
            const label = valueMatch[1]!;
            const values = await cached(`${scope}|values|${label}|${metric ?? ''}`, () =>
              prometheusGet<string[]>(endpoint, `label/${encodeURIComponent(label)}/values`, selector, database),
            );
            const quoted = /"[^"]*$/.test(before);
            return {
              suggestions: values.map((v) => ({
                label: v,
                kind: monaco.languages.CompletionItemKind.Value,
                insertText: quoted ? v : `"${v}"`,
                range,
                detail: `value of ${label}`,
              })),
            };
          }
          const names = await cached(`${scope}|labels|${metric ?? ''}`, () =>
            prometheusGet<string[]>(endpoint, 'labels', selector, database),
          );
          return {
            suggestions: names
              .filter((n) => n !== '__name__')
              .map((n) => ({
                label: n,
                kind: monaco.languages.CompletionItemKind.Property,
                insertText: n,
                range,
                detail: 'label',
              })),
          };
        }
        const metrics = await cached(`${scope}|metrics`, () =>
          prometheusGet<string[]>(endpoint, 'label/__name__/values', {}, database),
        );
        return {
          suggestions: [
            ...metrics.map((m) => ({
              label: m,
              kind: monaco.languages.CompletionItemKind.Variable,
              insertText: m,
              range,
              detail: 'metric',
              sortText: `0${m}`,
            })),
            ...[...promqlAggregations, ...promqlFunctions].map((f) => ({
              label: f,
              kind: monaco.languages.CompletionItemKind.Function,
              insertText: `${f}(`,
              range,
              sortText: `1${f}`,
            })),
          ],
        };
      } catch {
        return {
          suggestions: [...promqlAggregations, ...promqlFunctions].map((f) => ({
            label: f,
            kind: monaco.languages.CompletionItemKind.Function,
            insertText: `${f}(`,
            range,
          })),
        };
      }
    },
  });
}
