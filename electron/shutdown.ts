/**
 * Quitting the desktop app without losing data or leaving processes behind. Electron's
 * `before-quit` is held (preventDefault) the first time; the steps run in a fixed order,
 * then the app quits for real:
 *   1. save the window's placement (while the window still exists)
 *   2. stop answering the renderer (no cluster action may start during shutdown)
 *   3. stop the cluster: datanodes close their regions and WAL and exit (SIGKILL after a
 *      timeout), then the frontend, then metasrv, so no datanode outlives the app
 * A failing step is logged and the next still runs: the cluster is always stopped.
 */

export interface ShutdownSteps {
  saveWindowState(): Promise<void> | void;
  closeIpc(): void;
  stopCluster(): Promise<void>;
}

/** The step names, in the order they run (for logs and tests). */
export const shutdownOrder = ['saveWindowState', 'closeIpc', 'stopCluster'] as const satisfies ReadonlyArray<
  keyof ShutdownSteps
>;

export type ShutdownPhase = 'running' | 'stopping' | 'done';

export class QuitController {
  private readonly steps: ShutdownSteps;
  private readonly quit: () => void;
  private readonly onStepFailed: (step: string, error: unknown) => void;
  private phase_: ShutdownPhase = 'running';
  private finished: Promise<void> | undefined;

  /** `quit` is Electron's `app.quit`, called again once the steps are done. */
  constructor(steps: ShutdownSteps, quit: () => void, onStepFailed: (step: string, error: unknown) => void) {
    this.steps = steps;
    this.quit = quit;
    this.onStepFailed = onStepFailed;
  }

  get phase(): ShutdownPhase {
    return this.phase_;
  }

  /** Electron's `before-quit` handler. Holds the quit until shutdown is done; later calls while stopping are held too. */
  onBeforeQuit(event: { preventDefault(): void }): void {
    if (this.phase_ === 'done') return;
    event.preventDefault();
    void this.shutdown();
  }

  /** Runs the steps once (later calls share the first run) and then quits. */
  shutdown(): Promise<void> {
    this.finished ??= (async () => {
      this.phase_ = 'stopping';
      for (const step of shutdownOrder) {
        try {
          await this.steps[step]();
        } catch (error) {
          this.onStepFailed(step, error);
        }
      }
      this.phase_ = 'done';
      this.quit();
    })();
    return this.finished;
  }
}
