/**
 * Where the app's window may go and what it may ask for. The window shows only the local
 * cluster's own pages; a link elsewhere opens in the system browser (http, https, mailto)
 * or nowhere; no page may open another Electron window; permission requests are denied
 * unless listed here. Pure decisions: main.ts wires them to Electron's handlers.
 */
import { originOf } from './ipc-validation.ts';

export type NavigationDecision = 'allow' | 'open-externally' | 'deny';

const externalProtocols = new Set(['http:', 'https:', 'mailto:']);

function opensExternally(url: string): boolean {
  try {
    return externalProtocols.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** A navigation of the window itself (link click, location change, redirect). */
export function decideNavigation(targetUrl: string, appOrigin: string | undefined): NavigationDecision {
  if (appOrigin !== undefined && originOf(targetUrl) === appOrigin) return 'allow';
  return opensExternally(targetUrl) ? 'open-externally' : 'deny';
}

/** `window.open` or a target=_blank link: never a new Electron window; other sites go to the browser. */
export function decideWindowOpen(targetUrl: string, appOrigin: string | undefined): NavigationDecision {
  if (appOrigin !== undefined && originOf(targetUrl) === appOrigin) return 'deny';
  return opensExternally(targetUrl) ? 'open-externally' : 'deny';
}

/**
 * Permissions the app's own pages may have: writing to the clipboard (copy a result or a
 * query). Everything else (camera, notifications, geolocation, ...) and everything asked by
 * another origin is denied.
 */
const grantedToApp = new Set(['clipboard-sanitized-write']);

export function decidePermission(permission: string, requestingUrl: string, appOrigin: string | undefined): boolean {
  return appOrigin !== undefined && originOf(requestingUrl) === appOrigin && grantedToApp.has(permission);
}
