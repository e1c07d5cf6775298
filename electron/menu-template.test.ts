import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { applicationMenuTemplate, menuAccelerators } from './menu-template.ts';
import type { MenuActions } from './menu-template.ts';

function recordingActions(): { actions: MenuActions; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      addDatanode: () => calls.push('addDatanode'),
      openDataFolder: () => calls.push('openDataFolder'),
      openInBrowser: () => calls.push('openInBrowser'),
      openDocumentation: () => calls.push('openDocumentation'),
    },
  };
}

const titles = (menu: MenuItemConstructorOptions[]) => menu.map((item) => item.label ?? item.role);
const items = (menu: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  menu.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
const find = (menu: MenuItemConstructorOptions[], label: string) => items(menu).find((item) => item.label === label);

test('File, Edit, View, Cluster, Help on Linux and Windows; macOS adds the app menu and Window', () => {
  const { actions } = recordingActions();
  assert.deepEqual(titles(applicationMenuTemplate('linux', 'Tessera', actions)), [
    'File',
    'Edit',
    'View',
    'Cluster',
    'help',
  ]);
  assert.deepEqual(titles(applicationMenuTemplate('win32', 'Tessera', actions)), [
    'File',
    'Edit',
    'View',
    'Cluster',
    'help',
  ]);
  assert.deepEqual(titles(applicationMenuTemplate('darwin', 'Tessera', actions)), [
    'Tessera',
    'File',
    'Edit',
    'View',
    'Cluster',
    'windowMenu',
    'help',
  ]);
});

test('quit sits where each platform expects it', () => {
  const { actions } = recordingActions();
  const quitOf = (platform: NodeJS.Platform) =>
    applicationMenuTemplate(platform, 'Tessera', actions)
      .map((menu) => (items([menu]).some((item) => item.role === 'quit') ? (menu.label ?? menu.role) : undefined))
      .filter(Boolean);
  assert.deepEqual(quitOf('darwin'), ['Tessera']);
  assert.deepEqual(quitOf('linux'), ['File']);
  const windowsQuit = items(applicationMenuTemplate('win32', 'Tessera', actions)).find((item) => item.role === 'quit');
  assert.equal(windowsQuit?.label, 'Exit');
});

test('Tessera’s own items call their actions and have distinct accelerators that no role uses', () => {
  const { actions, calls } = recordingActions();
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    const menu = applicationMenuTemplate(platform, 'Tessera', actions);
    for (const label of ['Add Datanode', 'Open Data Folder', 'Open in Browser', 'GreptimeDB Documentation']) {
      const item = find(menu, label);
      assert.ok(item?.click, `${platform}: ${label}`);
      (item.click as () => void)();
    }
    const accelerators = items(menu).flatMap((item) => (item.accelerator ? [item.accelerator] : []));
    assert.equal(new Set(accelerators).size, accelerators.length, 'no accelerator is used twice');
  }
  assert.deepEqual(calls.slice(0, 4), ['addDatanode', 'openDataFolder', 'openInBrowser', 'openDocumentation']);
  assert.equal(calls.length, 12);
  // Electron's role defaults include Ctrl/Cmd + Z Y X C V A R Q W M H, Shift+R, Shift+I, 0 + -.
  for (const accelerator of Object.values(menuAccelerators)) {
    assert.match(accelerator, /^CmdOrCtrl\+Shift\+[BDO]$/);
  }
});

test('every item is a role, a separator, or a labelled action', () => {
  const { actions } = recordingActions();
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    for (const item of items(applicationMenuTemplate(platform, 'Tessera', actions))) {
      assert.ok(
        item.role || item.type === 'separator' || (item.label && (item.click || item.submenu)),
        JSON.stringify(item),
      );
    }
  }
});
