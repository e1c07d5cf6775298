/**
 * The desktop app's main process (DESIGN §2, §8). It hosts the whole local cluster —
 * metasrv and frontend in this process, datanodes as utility processes — with its data
 * under the user-data folder and its HTTP API on a free 127.0.0.1 port, and shows the
 * cluster's own web app in one sandboxed window. This file only wires Electron to the
 * decisions made in the small modules beside it (window options, CSP, IPC validation,
 * navigation and permissions, launcher choice, menu, shutdown order), which are tested
 * under plain Node. Started by `app-entry.js`, which loads tsx first.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BrowserWindow,
  Menu,
  app,
  dialog,
  ipcMain,
  nativeTheme,
  screen,
  session,
  shell,
  utilityProcess,
} from 'electron';
import type { WebContents } from 'electron';
import { NodeProcessLauncher } from '../engine/cluster/index.ts';
import { createLogger } from '../engine/common/index.ts';
import { withContentSecurityPolicy } from './content-security-policy.ts';
import { DesktopCluster } from './desktop-cluster.ts';
import { clusterEventChannel } from './desktop-channels.ts';
import { registerDesktopHandlers } from './desktop-handlers.ts';
import { ValidatedIpcMain, originOf } from './ipc-validation.ts';
import { createLauncher } from './launcher-selection.ts';
import { applicationMenuTemplate } from './menu-template.ts';
import { decideNavigation, decidePermission, decideWindowOpen } from './navigation-policy.ts';
import { QuitController } from './shutdown.ts';
import { UtilityProcessLauncher } from './utility-process-launcher.ts';
import { mainWindowOptions } from './window-options.ts';
import { WindowStateStore } from './window-state.ts';
import type { WindowPlacement } from './window-state.ts';

const logger = createLogger({ role: 'desktop' });
/** Built by `npm run build` (scripts/build-electron.js): a sandboxed preload must be one CommonJS file. */
const preloadPath = fileURLToPath(new URL('../dist/electron/preload.cjs', import.meta.url));
const documentationUrl = 'https://docs.greptime.com/';

/** The cluster's origin once it runs: the only origin the window may show and IPC may come from. */
let appOrigin: string | undefined;
let mainWindow: BrowserWindow | undefined;

/** Every web contents the app creates stays on the app's origin and opens no windows of its own. */
function secureContents(contents: WebContents): void {
  const guard = (event: { url: string; preventDefault(): void }) => {
    const decision = decideNavigation(event.url, appOrigin);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-externally') void shell.openExternal(event.url);
    else logger.warn('desktop.navigation-refused', { url: event.url });
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.setWindowOpenHandler(({ url }) => {
    if (decideWindowOpen(url, appOrigin) === 'open-externally') void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function secureSession(): void {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(decidePermission(permission, details.requestingUrl, appOrigin)),
  );
  defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    decidePermission(permission, requestingOrigin, appOrigin),
  );
  defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.url, details.responseHeaders ?? {}, appOrigin) }),
  );
}

function workAreas() {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((display) => display.id !== primary.id)].map(
    (display) => display.workArea,
  );
}

async function runApp(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const dataHome = join(userData, 'cluster');
  const windowState = new WindowStateStore(join(userData, 'window-state.json'));
  let placement: WindowPlacement | undefined;

  const { launcher, reason } = createLauncher(
    {
      electronVersion: process.versions.electron,
      utilityProcessAvailable: typeof utilityProcess?.fork === 'function',
      requested: process.env.TESSERA_DATANODE_LAUNCHER,
    },
    {
      utility: () =>
        new UtilityProcessLauncher((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)),
      node: () => new NodeProcessLauncher(),
    },
  );
  logger.info('desktop.launcher', { launcher: launcher.name, reason });
  const cluster = new DesktopCluster({ dataHome, launcher, logger });

  secureSession();
  app.on('web-contents-created', (_event, contents) => secureContents(contents));

  const ipc = new ValidatedIpcMain(
    ipcMain,
    () => appOrigin,
    (why) => logger.warn('desktop.ipc-refused', { reason: why }),
  );
  registerDesktopHandlers(ipc, cluster, {
    openPath: (path) => shell.openPath(path),
    appVersion: () => ({
      app: app.getVersion(),
      electron: process.versions.electron ?? '',
      chrome: process.versions.chrome ?? '',
      node: process.versions.node,
    }),
  });
  cluster.onEvent((event) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(clusterEventChannel, event);
  });

  const reportFailure = (what: string) => (error: unknown) => logger.error(what, { error });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenuTemplate(process.platform, app.name, {
        addDatanode: () => void cluster.addDatanode().catch(reportFailure('desktop.add-datanode-failed')),
        openDataFolder: () => void shell.openPath(dataHome),
        openInBrowser: () => {
          if (cluster.httpUrl) void shell.openExternal(`${cluster.httpUrl}/`);
        },
        openDocumentation: () => void shell.openExternal(documentationUrl),
      }),
    ),
  );

  const capturePlacement = (window: BrowserWindow) => {
    placement = { ...window.getNormalBounds(), maximized: window.isMaximized() };
  };
  const quitController = new QuitController(
    {
      saveWindowState: async () => {
        if (mainWindow && !mainWindow.isDestroyed()) capturePlacement(mainWindow);
        if (placement) await windowState.save(placement);
      },
      closeIpc: () => ipc.dispose(),
      stopCluster: () => cluster.stop(),
    },
    () => app.quit(),
    (step, error) => logger.error('desktop.shutdown-step-failed', { step, error }),
  );
  app.on('before-quit', (event) => quitController.onBeforeQuit(event));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  const openWindow = async (): Promise<void> => {
    const saved = await windowState.load(workAreas());
    const window = new BrowserWindow(
      mainWindowOptions({ preloadPath, placement: saved, dark: nativeTheme.shouldUseDarkColors }),
    );
    if (saved.maximized) window.maximize();
    mainWindow = window;
    window.once('ready-to-show', () => window.show());
    window.on('close', () => capturePlacement(window));
    window.webContents.on('render-process-gone', (_event, details) =>
      logger.error('desktop.renderer-gone', { reason: details.reason, exitCode: details.exitCode }),
    );
    await window.loadURL(`${cluster.httpUrl}/`);
  };

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // macOS keeps the app (and its cluster) running with no window; elsewhere closing the window quits.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if ((!mainWindow || mainWindow.isDestroyed()) && cluster.httpUrl) void openWindow();
  });

  try {
    await cluster.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('desktop.cluster-start-failed', { error });
    dialog.showErrorBox('Tessera could not start its cluster', `${message}\n\nData folder: ${dataHome}`);
    app.quit();
    return;
  }
  appOrigin = originOf(cluster.httpUrl!);
  logger.info('desktop.cluster-started', { http: cluster.httpUrl, dataHome });
  await openWindow();
}

// One app per user: a second launch focuses the first one's window (two would fight over the data folder).
if (app.requestSingleInstanceLock()) {
  runApp().catch((error: unknown) => {
    logger.error('desktop.failed', { error });
    app.exit(1);
  });
} else {
  app.quit();
}
