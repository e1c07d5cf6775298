/**
 * How the app's one window is created: its remembered placement, a minimum size, hidden
 * until the first paint (no white flash), and the secure web preferences every window uses.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { secureWebPreferences } from './web-preferences.ts';
import { minimumWindowSize } from './window-state.ts';
import type { WindowPlacement } from './window-state.ts';

export function mainWindowOptions(options: {
  preloadPath: string;
  placement: WindowPlacement;
  /** The theme the system prefers, so the window's background matches the app before it paints. */
  dark: boolean;
}): BrowserWindowConstructorOptions {
  const { placement } = options;
  return {
    title: 'Tessera',
    width: placement.width,
    height: placement.height,
    ...(placement.x === undefined || placement.y === undefined ? { center: true } : { x: placement.x, y: placement.y }),
    minWidth: minimumWindowSize.width,
    minHeight: minimumWindowSize.height,
    show: false,
    backgroundColor: options.dark ? '#1e1e1e' : '#ffffff',
    // macOS keeps the menu in the system bar; elsewhere it sits in the window and Alt shows it when hidden.
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(options.preloadPath),
  };
}
