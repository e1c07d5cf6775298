/** PromQL as a Monaco language: Monarch highlighting (functions, aggregations, selectors, durations). */
import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';

export const promqlLanguageId = 'promql';

export const promqlFunctions =
  `abs absent absent_over_time ceil changes clamp clamp_max clamp_min day_of_month day_of_week
days_in_month delta deriv exp floor histogram_quantile holt_winters hour idelta increase irate label_join label_replace
ln log2 log10 minute month predict_linear rate resets round scalar sort sort_desc sqrt time timestamp vector year
avg_over_time min_over_time max_over_time sum_over_time count_over_time quantile_over_time stddev_over_time
stdvar_over_time last_over_time present_over_time`
    .split(/\s+/)
    .filter(Boolean);

export const promqlAggregations = 'sum min max avg group stddev stdvar count count_values bottomk topk quantile'.split(
  ' ',
);
const promqlKeywords = 'by without on ignoring group_left group_right offset bool and or unless'.split(' ');

export function registerPromqlLanguage(monaco: typeof MonacoApi): void {
  monaco.languages.register({ id: promqlLanguageId, aliases: ['PromQL'] });
  monaco.languages.setLanguageConfiguration(promqlLanguageId, {
    comments: { lineComment: '#' },
    brackets: [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ],
    autoClosingPairs: [
      { open: '{', close: '}' },
      { open: '[', close: ']' },
      { open: '(', close: ')' },
      { open: '"', close: '"', notIn: ['string'] },
    ],
  });
  monaco.languages.setMonarchTokensProvider(promqlLanguageId, {
    functions: [...promqlFunctions, ...promqlAggregations],
    keywords: promqlKeywords,
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/'([^'\\]|\\.)*'/, 'string'],
        [/\d+(ms|s|m|h|d|w|y)/, 'number.duration'],
        [/\d+(\.\d+)?([eE][-+]?\d+)?/, 'number'],
        [/\{/, 'delimiter.curly', '@labels'],
        [
          /[a-zA-Z_:][\w:]*(?=\s*\()/,
          { cases: { '@functions': 'predefined', '@keywords': 'keyword', '@default': 'identifier' } },
        ],
        [/[a-zA-Z_:][\w:]*/, { cases: { '@keywords': 'keyword', '@default': 'type.identifier' } }],
        [/=~|!~|!=|==|<=|>=|[-+*/%^<>=]/, 'operator'],
        [/[[\]()]/, '@brackets'],
      ],
      labels: [
        [/\}/, 'delimiter.curly', '@pop'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/[a-zA-Z_][\w]*/, 'attribute.name'],
        [/=~|!~|!=|=/, 'operator'],
        [/,/, 'delimiter'],
      ],
    },
  });
}
