/**
 * Monaco, bundled: only the editor API and the features the workbench uses (no built-in
 * languages — the two it needs are defined here), with its one worker built by Vite from a
 * `?worker` import, so nothing is fetched from elsewhere and the page works offline.
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/features/suggest/register.js';
// The suggest widget itself (the feature file above only adds inline completions).
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/editor/browser/coreCommands.js';
import 'monaco-editor/features/hover/register.js';
import 'monaco-editor/features/find/register.js';
import 'monaco-editor/features/bracketMatching/register.js';
import 'monaco-editor/features/comment/register.js';
import 'monaco-editor/features/clipboard/register.js';
import 'monaco-editor/features/contextmenu/register.js';
import 'monaco-editor/features/codicon/register.js';
import 'monaco-editor/features/wordOperations/register.js';
import 'monaco-editor/features/multicursor/register.js';
import 'monaco-editor/features/gotoError/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import { registerCompletion } from './completion.ts';
import { registerPromqlLanguage } from './promql-language.ts';
import { registerSqlLanguage } from './sql-language.ts';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

registerSqlLanguage(monaco);
registerPromqlLanguage(monaco);
registerCompletion(monaco);

// Editor colours from the app's design tokens (theme.css), so the editor sits in the page.
monaco.editor.defineTheme('tessera-light', {
  base: 'vs',
  inherit: true,
  rules: [{ token: 'predefined', foreground: '8a3fc7' }],
  colors: {
    'editor.background': '#ffffff',
    'editorLineNumber.foreground': '#9aa3b2',
    'editor.lineHighlightBackground': '#f3f6fb',
  },
});
monaco.editor.defineTheme('tessera-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'predefined', foreground: 'c79bf2' }],
  colors: {
    'editor.background': '#1a1e26',
    'editorLineNumber.foreground': '#5d6675',
    'editor.lineHighlightBackground': '#222733',
    'editorWidget.background': '#222733',
    'editorSuggestWidget.background': '#222733',
  },
});

export { monaco };
export type Monaco = typeof monaco;
