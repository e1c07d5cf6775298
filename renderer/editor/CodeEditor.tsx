/**
 * The Monaco editor for a tab (loaded lazily, so the shell paints first). One model per tab,
 * kept while the page lives; the text goes back to the tab store on every change. Shortcuts:
 * Ctrl/Cmd+Enter runs the statement at the cursor, Shift+Ctrl/Cmd+Enter runs all,
 * Shift+Alt+F formats. A server error with a position is marked in the text.
 */
import { useEffect, useRef } from 'react';
import { cursorOffsets } from './cursor-offsets.ts';
import { monaco } from './monaco.ts';
import { promqlLanguageId } from './promql-language.ts';
import { sqlLanguageId } from './sql-language.ts';

export interface EditorMarker {
  message: string;
  /** Offsets into the text; the error's own position when known. */
  start: number;
  end: number;
}

export interface CodeEditorProps {
  tabId: string;
  mode: 'sql' | 'promql';
  text: string;
  dark: boolean;
  marker: EditorMarker | undefined;
  onChange(text: string): void;
  onRun(scope: 'cursor' | 'all', cursorOffset: number): void;
  onFormat(): void;
}

const models = new Map<string, monaco.editor.ITextModel>();

function modelFor(tabId: string, mode: 'sql' | 'promql', text: string): monaco.editor.ITextModel {
  let model = models.get(tabId);
  if (!model || model.isDisposed()) {
    model = monaco.editor.createModel(
      text,
      mode === 'sql' ? sqlLanguageId : promqlLanguageId,
      monaco.Uri.parse(`inmemory://tab/${tabId}`),
    );
    models.set(tabId, model);
  }
  monaco.editor.setModelLanguage(model, mode === 'sql' ? sqlLanguageId : promqlLanguageId);
  // Changes from outside the editor (format, history) as an edit, so Ctrl+Z undoes them.
  if (model.getValue() !== text) model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
  return model;
}

export default function CodeEditor(props: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      ariaLabel: 'Query editor',
      tabFocusMode: false,
      wordBasedSuggestions: 'off',
      quickSuggestions: { other: true, strings: true, comments: false },
    });
    editorRef.current = editor;
    const offset = (): number => {
      const model = editor.getModel();
      const position = editor.getPosition();
      return model && position ? model.getOffsetAt(position) : 0;
    };
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onRun('cursor', offset()));
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.Enter, () =>
      latest.current.onRun('all', offset()),
    );
    editor.addCommand(monaco.KeyMod.Shift | monaco.KeyMod.Alt | monaco.KeyCode.KeyF, () => latest.current.onFormat());
    const cursorListener = editor.onDidChangeCursorPosition(() => cursorOffsets.set(latest.current.tabId, offset()));
    const listener = editor.onDidChangeModelContent(() => {
      const value = editor.getValue();
      if (value !== latest.current.text) latest.current.onChange(value);
    });
    return () => {
      listener.dispose();
      cursorListener.dispose();
      editor.dispose();
    };
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const model = modelFor(props.tabId, props.mode, props.text);
    if (editor.getModel() !== model) editor.setModel(model);
  }, [props.tabId, props.mode, props.text]);

  useEffect(() => {
    monaco.editor.setTheme(props.dark ? 'tessera-dark' : 'tessera-light');
  }, [props.dark]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    if (!props.marker) {
      monaco.editor.setModelMarkers(model, 'tessera', []);
      return;
    }
    const start = model.getPositionAt(props.marker.start);
    const end = model.getPositionAt(Math.max(props.marker.end, props.marker.start + 1));
    monaco.editor.setModelMarkers(model, 'tessera', [
      {
        severity: monaco.MarkerSeverity.Error,
        message: props.marker.message,
        startLineNumber: start.lineNumber,
        startColumn: start.column,
        endLineNumber: end.lineNumber,
        endColumn: end.column,
      },
    ]);
  }, [props.marker, props.tabId]);

  return <div className="editor-host" ref={host} data-testid="editor" />;
}
