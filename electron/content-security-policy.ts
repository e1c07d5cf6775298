/**
 * The Content-Security-Policy the app's pages run under. Scripts, styles, fonts, workers
 * and images come only from the app's own origin (the bundle is self-contained: Monaco and
 * every asset are bundled, nothing from a CDN); no plugins, no framing, no <base> tricks.
 * Connections may go to any http(s)/ws(s) host, because the workbench talks to remote
 * clusters the user adds. The shell sets it as a response header on the app's own pages
 * (`withContentSecurityPolicy`), which a page cannot loosen.
 */

const directives: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // Monaco and React set element styles at run time.
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['worker-src', "'self' blob:"],
  ['connect-src', "'self' http: https: ws: wss:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
  ['frame-src', "'none'"],
];

export function contentSecurityPolicy(): string {
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/**
 * Response headers with the policy set, for a response from the app's origin; responses
 * from anywhere else are returned unchanged. Any policy the server sent is replaced, so the
 * shell's policy is the one in force. (Electron hands headers over as name → values.)
 */
export function withContentSecurityPolicy(
  responseUrl: string,
  headers: Readonly<Record<string, string[]>>,
  appOrigin: string | undefined,
): Record<string, string[]> {
  let origin: string;
  try {
    origin = new URL(responseUrl).origin;
  } catch {
    return { ...headers };
  }
  if (appOrigin === undefined || origin !== appOrigin) return { ...headers };
  const result: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = values;
  }
  result['Content-Security-Policy'] = [contentSecurityPolicy()];
  return result;
}
