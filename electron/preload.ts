/**
 * The preload of the app's window: exposes `window.tessera` (renderer/shared/desktop-api.ts)
 * and nothing else. It runs sandboxed, where only `electron` can be required, so
 * `npm run build` bundles it with its imports into one CommonJS file
 * (dist/electron/preload.cjs, scripts/build-electron.js).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createDesktopApi } from './desktop-api-client.ts';

contextBridge.exposeInMainWorld('tessera', createDesktopApi(ipcRenderer));
