/**
 * The settings every app window is created with (DESIGN §8): the renderer is sandboxed,
 * isolated from the preload's world, and has no Node. Typechecked against Electron's own
 * typings; the desktop shell (main.ts, preload.ts) builds on this.
 */
import type { WebPreferences } from 'electron';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}
