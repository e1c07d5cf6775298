import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentSecurityPolicy, withContentSecurityPolicy } from './content-security-policy.ts';
import { mainWindowOptions } from './window-options.ts';

const appOrigin = 'http://127.0.0.1:4901';

describe('window options', () => {
  const options = mainWindowOptions({
    preloadPath: '/app/dist/electron/preload.cjs',
    placement: { width: 1300, height: 850, maximized: false },
    dark: true,
  });

  test('the renderer is isolated, sandboxed and has no Node', () => {
    const web = options.webPreferences!;
    assert.equal(web.contextIsolation, true);
    assert.equal(web.sandbox, true);
    assert.equal(web.nodeIntegration, false);
    assert.equal(web.nodeIntegrationInWorker, false);
    assert.equal(web.webSecurity, true);
    assert.equal(web.allowRunningInsecureContent, false);
    assert.equal(web.webviewTag, false);
    assert.equal(web.preload, '/app/dist/electron/preload.cjs');
  });

  test('hidden until first paint, with the remembered size, centred when no position was saved', () => {
    assert.equal(options.show, false);
    assert.equal(options.width, 1300);
    assert.equal(options.height, 850);
    assert.equal(options.center, true);
    assert.equal(options.x, undefined);
    assert.equal(options.backgroundColor, '#1e1e1e');
  });

  test('a saved position is used as is (fitting it to the displays is window-state’s job)', () => {
    const placed = mainWindowOptions({
      preloadPath: '/p.cjs',
      placement: { x: 40, y: 30, width: 1000, height: 700, maximized: false },
      dark: false,
    });
    assert.equal(placed.x, 40);
    assert.equal(placed.y, 30);
    assert.equal(placed.center, undefined);
    assert.equal(placed.backgroundColor, '#ffffff');
    assert.ok(placed.minWidth! <= 1000 && placed.minHeight! <= 700);
  });
});

describe('content security policy', () => {
  const directives = new Map(
    contentSecurityPolicy()
      .split('; ')
      .map((directive) => {
        const [name, ...values] = directive.split(' ');
        return [name!, values] as const;
      }),
  );

  test('scripts come only from the app itself: no remote, inline or eval’d script', () => {
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('default-src'), ["'self'"]);
    for (const values of directives.values()) assert.ok(!values.includes("'unsafe-eval'"));
    assert.ok(!directives.get('script-src')!.includes("'unsafe-inline'"));
  });

  test('no plugins, frames or base-URL changes; connections may reach remote clusters', () => {
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(directives.get('base-uri'), ["'none'"]);
    assert.deepEqual(directives.get('connect-src'), ["'self'", 'http:', 'https:', 'ws:', 'wss:']);
  });

  test('set on the app’s own responses, replacing whatever policy the server sent', () => {
    const headers = withContentSecurityPolicy(
      `${appOrigin}/assets/index.js`,
      { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/javascript'] },
      appOrigin,
    );
    assert.deepEqual(headers['Content-Security-Policy'], [contentSecurityPolicy()]);
    assert.equal(headers['content-security-policy'], undefined);
    assert.deepEqual(headers['Content-Type'], ['text/javascript']);
  });

  test('responses from other origins (remote clusters) pass unchanged, and nothing is set before the app has an origin', () => {
    const remote = { 'Content-Type': ['application/json'] };
    assert.deepEqual(withContentSecurityPolicy('https://greptime.example:4000/v1/sql', remote, appOrigin), remote);
    assert.deepEqual(withContentSecurityPolicy(`${appOrigin}/`, remote, undefined), remote);
    assert.deepEqual(withContentSecurityPolicy('http://127.0.0.1:4999/', remote, appOrigin), remote);
  });
});
