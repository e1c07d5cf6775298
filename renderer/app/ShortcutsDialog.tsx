/** The keyboard shortcuts, listed (press ? outside the editor, or the header button). */
import { useEffect, useRef } from 'react';

const shortcuts: [string, string][] = [
  ['Ctrl/Cmd + Enter', 'Run the statement at the cursor'],
  ['Shift + Ctrl/Cmd + Enter', 'Run every statement'],
  ['Shift + Alt + F', 'Format SQL'],
  ['Ctrl + Space', 'Complete (keywords, functions, tables, columns, metrics, labels)'],
  ['Ctrl/Cmd + Alt + 1…4', 'Schema, History, Saved, Connections panel'],
  ['Arrow keys in the grid', 'Move the selected cell'],
  ['Ctrl/Cmd + C in the grid', 'Copy the cell (with Shift: the row)'],
  ['Drag across the chart', 'Zoom into a time range'],
  ['?', 'This list'],
];

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="mini">
        <tbody>
          {shortcuts.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="primary" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
