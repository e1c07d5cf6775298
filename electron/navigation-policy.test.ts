import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideNavigation, decidePermission, decideWindowOpen } from './navigation-policy.ts';

const app = 'http://127.0.0.1:4901';

test('the window navigates only within the app; web links go to the system browser; other schemes nowhere', () => {
  assert.equal(decideNavigation(`${app}/workbench?tab=2`, app), 'allow');
  assert.equal(decideNavigation('https://docs.greptime.com/', app), 'open-externally');
  assert.equal(decideNavigation('mailto:someone@example.com', app), 'open-externally');
  // Same host, other port: another origin, so not the app.
  assert.equal(decideNavigation('http://127.0.0.1:4000/', app), 'open-externally');
  for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,hi', 'not a url']) {
    assert.equal(decideNavigation(url, app), 'deny', url);
  }
  assert.equal(decideNavigation(`${app}/`, undefined), 'open-externally', 'before the cluster runs nothing is the app');
});

test('window.open never opens an Electron window', () => {
  assert.equal(decideWindowOpen(`${app}/other`, app), 'deny');
  assert.equal(decideWindowOpen('https://example.com/', app), 'open-externally');
  assert.equal(decideWindowOpen('file:///tmp/x', app), 'deny');
});

test('permissions are denied except clipboard writes from the app itself', () => {
  assert.equal(decidePermission('clipboard-sanitized-write', `${app}/`, app), true);
  assert.equal(decidePermission('clipboard-sanitized-write', 'https://evil.example/', app), false);
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
    assert.equal(decidePermission(permission, `${app}/`, app), false, permission);
  }
  assert.equal(decidePermission('clipboard-sanitized-write', `${app}/`, undefined), false);
});
