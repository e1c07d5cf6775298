import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBoard } from './board-model.ts';
import { reduceMigrations } from './migration-machine.ts';
import type { MigrationEvent, Migrations } from './migration-machine.ts';
import { layoutBoard } from './tile-layout.ts';
import type { BoardFilter, ColumnLayout } from './tile-layout.ts';
import { regionId, testSources } from './test-tables.ts';

const board = buildBoard(
  testSources(
    [
      { id: 1, type: 'DATANODE', addr: 'a' },
      { id: 2, type: 'DATANODE', addr: 'b' },
      { id: 3, type: 'DATANODE', addr: 'c' },
    ],
    [
      { regionId: regionId(1025, 1), peer: 1, table: 'mem', rows: 30 },
      { regionId: regionId(1024, 1), peer: 1, table: 'cpu', rows: 10 },
      { regionId: regionId(1024, 0), peer: 1, table: 'cpu', rows: 20 },
      { regionId: regionId(1024, 2), peer: 2, table: 'cpu', rows: 15 },
      { regionId: regionId(1026, 0), peer: 2, schema: 'ops', table: 'disk' },
    ],
  ),
  0,
);
const all: BoardFilter = { database: '', table: '', groupByTable: true };
const cpu0 = regionId(1024, 0).toString();

/** Each column as `table:rN[role]` strings, groups separated by '|'. */
function show(layout: ColumnLayout[]): string[] {
  return layout.map((c) =>
    c.groups
      .map((g) =>
        g.slots
          .map((s) => `${s.tile.table}:r${s.tile.regionNumber}${s.role === 'home' ? '' : `[${s.role}]`}`)
          .join(' '),
      )
      .join(' | '),
  );
}

test('tiles are grouped by table and ordered by region number; load follows rows', () => {
  const layout = layoutBoard(board, all, new Map());
  assert.deepEqual(show(layout), ['cpu:r0 cpu:r1 | mem:r1', 'disk:r0 | cpu:r2', '']);
  assert.deepEqual(
    layout.map((c) => [c.tileCount, Math.round(c.load * 100)]),
    [
      [3, 100],
      [2, 25],
      [0, 0],
    ],
  );
  assert.deepEqual(
    layout[0]!.groups.map((g) => g.key),
    ['public.cpu', 'public.mem'],
  );
});

test('without grouping a column is one ordered list', () => {
  const layout = layoutBoard(board, { ...all, groupByTable: false }, new Map());
  assert.deepEqual(show(layout), ['cpu:r0 cpu:r1 mem:r1', 'disk:r0 cpu:r2', '']);
});

test('the filter narrows by database and by table name', () => {
  assert.deepEqual(show(layoutBoard(board, { ...all, database: 'ops' }, new Map())), ['', 'disk:r0', '']);
  assert.deepEqual(show(layoutBoard(board, { ...all, table: 'CP' }, new Map())), ['cpu:r0 cpu:r1', 'cpu:r2', '']);
});

test('a moving region is dimmed at its source and a ghost at its target; landed sits on the target', () => {
  const events: MigrationEvent[] = [{ type: 'start', regionId: cpu0, from: 1, to: 3, label: 'cpu 0' }];
  let migrations: Migrations = events.reduce(reduceMigrations, new Map());
  assert.deepEqual(show(layoutBoard(board, all, migrations)), [
    'cpu:r0[leaving] cpu:r1 | mem:r1',
    'disk:r0 | cpu:r2',
    'cpu:r0[ghost]',
  ]);
  assert.equal(layoutBoard(board, all, migrations)[0]!.tileCount, 2);
  migrations = [
    { type: 'accepted', regionId: cpu0, procedureId: 'p' },
    { type: 'state', regionId: cpu0, state: { status: 'Done', error: null } },
  ].reduce((m, e) => reduceMigrations(m, e as MigrationEvent), migrations);
  // The model still has it on node 1 (not refreshed yet); the board shows where it went.
  const landed = layoutBoard(board, all, migrations);
  assert.deepEqual(show(landed), ['cpu:r1 | mem:r1', 'disk:r0 | cpu:r2', 'cpu:r0[landed]']);
  assert.equal(landed[2]!.groups[0]!.slots[0]!.tile.peerId, 3);
});

test('a failed migration snaps back to the source', () => {
  const migrations = [
    { type: 'start', regionId: cpu0, from: 1, to: 2, label: 'cpu 0' },
    { type: 'refused', regionId: cpu0, error: 'target is down' },
  ].reduce((m, e) => reduceMigrations(m, e as MigrationEvent), new Map() as Migrations);
  assert.deepEqual(show(layoutBoard(board, all, migrations)), [
    'cpu:r0[snapback] cpu:r1 | mem:r1',
    'disk:r0 | cpu:r2',
    '',
  ]);
});
