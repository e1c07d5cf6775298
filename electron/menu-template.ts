/**
 * The application menu: File, Edit, View, Cluster, Help everywhere, plus the app menu and
 * Window menu macOS users expect. Standard items use Electron roles, which bring each
 * platform's own labels and accelerators (Quit is Cmd+Q on macOS, Ctrl+Q on Linux, Exit on
 * Windows); Tessera's own items name their accelerators here. Plain data plus click
 * callbacks, so the menu is tested without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';

/** What the menu's own items do; main.ts supplies them. */
export interface MenuActions {
  addDatanode(): void;
  openDataFolder(): void;
  /** Opens the local cluster's web app in the system browser. */
  openInBrowser(): void;
  openDocumentation(): void;
}

/** Accelerators of Tessera's own items (roles bring theirs). */
export const menuAccelerators = {
  openDataFolder: 'CmdOrCtrl+Shift+O',
  addDatanode: 'CmdOrCtrl+Shift+D',
  openInBrowser: 'CmdOrCtrl+Shift+B',
} as const;

export function applicationMenuTemplate(
  platform: NodeJS.Platform,
  appName: string,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const openDataFolder: MenuItemConstructorOptions = {
    label: 'Open Data Folder',
    accelerator: menuAccelerators.openDataFolder,
    click: () => actions.openDataFolder(),
  };
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: mac
      ? [openDataFolder, { type: 'separator' }, { role: 'close' }]
      : [
          openDataFolder,
          { type: 'separator' },
          platform === 'win32' ? { role: 'quit', label: 'Exit' } : { role: 'quit' },
        ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const cluster: MenuItemConstructorOptions = {
    label: 'Cluster',
    submenu: [
      { label: 'Add Datanode', accelerator: menuAccelerators.addDatanode, click: () => actions.addDatanode() },
      { type: 'separator' },
      {
        label: 'Open in Browser',
        accelerator: menuAccelerators.openInBrowser,
        click: () => actions.openInBrowser(),
      },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'GreptimeDB Documentation', click: () => actions.openDocumentation() },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about', label: `About ${appName}` } as const]),
    ],
  };
  if (!mac) return [file, edit, view, cluster, help];
  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    role: 'windowMenu',
  };
  return [appMenu, file, edit, view, cluster, window, help];
}
