/**
 * Serves the renderer build (`dist/renderer`): files by path, `index.html` for any other
 * GET so the app's client-side routes load. Paths are resolved inside the root only.
 * Until the app has been built, `/` answers with a small page that says so and links the
 * JSON endpoints.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` puts the renderer. */
export const defaultStaticRoot: string = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * The app's pages are self-contained: no script, style, font or worker loads from another
 * origin. Only `connect-src` reaches further, because the workbench queries other clusters'
 * HTTP APIs by the URL the user gives (answered under CORS, see cors.ts). Styles allow inline
 * because the editor (Monaco) sets element styles and injects its theme's style sheet.
 */
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' http: https: ws: wss:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

export async function serveStatic(response: ServerResponse, pathname: string, root: string): Promise<void> {
  const file = await resolveFile(root, pathname);
  if (!file) {
    sendNotBuiltPage(response);
    return;
  }
  const type = contentTypes[extname(file.path)] ?? 'application/octet-stream';
  response.writeHead(200, {
    'content-type': type,
    'content-length': file.size,
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    // Hashed assets never change; index.html must be revalidated to pick up a new build.
    'cache-control': file.path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file.path).pipe(response);
}

async function resolveFile(root: string, pathname: string): Promise<{ path: string; size: number } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = '/';
  }
  const candidate = normalize(join(root, decoded));
  const inside = candidate === root || candidate.startsWith(root + sep);
  for (const path of inside ? [candidate, join(root, 'index.html')] : [join(root, 'index.html')]) {
    try {
      const info = await stat(path);
      if (info.isFile()) return { path, size: info.size };
    } catch {
      // Try the next candidate.
    }
  }
  return undefined;
}

function sendNotBuiltPage(response: ServerResponse): void {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Tessera is running</h1>
<p>The cluster is up, but the app's pages have not been built in this checkout. Run <code>npm run build</code>, then reload.</p>
<p>Meanwhile: <a href="/status">/status</a> (cluster summary), <a href="/health">/health</a>, and the SQL API at <code>/v1/sql</code>.</p>
</body></html>`;
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy,
    'cache-control': 'no-cache',
  });
  response.end(page);
}
