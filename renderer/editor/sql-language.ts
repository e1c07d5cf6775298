/** GreptimeDB SQL as a Monaco language: Monarch highlighting and editing rules. */
import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';
import { sqlFunctions, sqlKeywords } from './sql-words.ts';

export const sqlLanguageId = 'greptime-sql';

export function registerSqlLanguage(monaco: typeof MonacoApi): void {
  monaco.languages.register({ id: sqlLanguageId, aliases: ['GreptimeDB SQL'] });
  monaco.languages.setLanguageConfiguration(sqlLanguageId, {
    comments: { lineComment: '--', blockComment: ['/*', '*/'] },
    brackets: [['(', ')']],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: "'", close: "'", notIn: ['string'] },
      { open: '"', close: '"', notIn: ['string'] },
    ],
  });
  monaco.languages.setMonarchTokensProvider(sqlLanguageId, {
    ignoreCase: true,
    keywords: sqlKeywords.map((k) => k.toLowerCase()),
    functions: sqlFunctions,
    tokenizer: {
      root: [
        [/--.*$/, 'comment'],
        [/\/\*/, 'comment', '@comment'],
        [/'/, 'string', '@string'],
        [/"/, 'identifier.quote', '@quoted'],
        [/`[^`]*`/, 'identifier'],
        [/\d+(\.\d+)?([eE][-+]?\d+)?/, 'number'],
        [
          /[a-zA-Z_][\w]*(?=\s*\()/,
          { cases: { '@functions': 'predefined', '@keywords': 'keyword', '@default': 'identifier' } },
        ],
        [/[a-zA-Z_][\w]*/, { cases: { '@keywords': 'keyword', '@default': 'identifier' } }],
        [/[<>=!%&+\-*/|~^]+/, 'operator'],
        [/[;,.]/, 'delimiter'],
        [/[()]/, '@brackets'],
      ],
      comment: [
        [/[^*/]+/, 'comment'],
        [/\*\//, 'comment', '@pop'],
        [/[*/]/, 'comment'],
      ],
      string: [
        [/[^']+/, 'string'],
        [/''/, 'string'],
        [/'/, 'string', '@pop'],
      ],
      quoted: [
        [/[^"]+/, 'identifier'],
        [/""/, 'identifier'],
        [/"/, 'identifier.quote', '@pop'],
      ],
    },
  });
}
