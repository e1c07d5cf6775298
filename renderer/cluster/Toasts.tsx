/** The board's toasts: a migration that landed, or one refused or failed, naming the region and nodes. */
import type { Toast } from './board-store.ts';

export function Toasts(props: { toasts: Toast[]; onDismiss(id: number): void }) {
  return (
    <div className="toasts" aria-live="polite">
      {props.toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
          <span className="toast-icon" aria-hidden="true">
            {toast.kind === 'error' ? '!' : '✓'}
          </span>
          <span className="toast-text">{toast.text}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => props.onDismiss(toast.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
