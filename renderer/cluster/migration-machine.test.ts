import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canStart, parseProcedureState, reduceMigrations } from './migration-machine.ts';
import type { MigrationEvent, Migrations } from './migration-machine.ts';

const run = (events: MigrationEvent[], from: Migrations = new Map()): Migrations =>
  events.reduce(reduceMigrations, from);
const start: MigrationEvent = { type: 'start', regionId: '7', from: 1, to: 2, label: 'public.cpu region 0' };

test('idle → starting → moving → landed → idle on Done', () => {
  let state = run([start]);
  assert.equal(state.get('7')?.phase, 'starting');
  state = run([{ type: 'accepted', regionId: '7', procedureId: 'p-1' }], state);
  assert.deepEqual(
    { phase: state.get('7')?.phase, procedureId: state.get('7')?.procedureId },
    { phase: 'moving', procedureId: 'p-1' },
  );
  const running = run([{ type: 'state', regionId: '7', state: { status: 'Running', error: null } }], state);
  assert.equal(running, state, 'Running changes nothing');
  state = run([{ type: 'state', regionId: '7', state: { status: 'Done', error: null } }], state);
  assert.equal(state.get('7')?.phase, 'landed');
  state = run([{ type: 'settled', regionId: '7' }], state);
  assert.equal(state.has('7'), false);
});

test('a refused call and a failed procedure both end in failed with the error, then idle', () => {
  const refused = run([start, { type: 'refused', regionId: '7', error: 'Region 7 not found' }]);
  assert.deepEqual(
    { phase: refused.get('7')?.phase, error: refused.get('7')?.error },
    { phase: 'failed', error: 'Region 7 not found' },
  );
  const failed = run([
    start,
    { type: 'accepted', regionId: '7', procedureId: 'p-1' },
    { type: 'state', regionId: '7', state: { status: 'Failed', error: 'target closed' } },
  ]);
  assert.deepEqual(
    { phase: failed.get('7')?.phase, error: failed.get('7')?.error },
    { phase: 'failed', error: 'target closed' },
  );
  assert.equal(run([{ type: 'settled', regionId: '7' }], failed).size, 0);
});

test('region_peers showing the region on its target lands it before procedure_state says Done', () => {
  const moving = run([start, { type: 'accepted', regionId: '7', procedureId: 'p-1' }]);
  const stillThere = run([{ type: 'observed', placement: new Map([['7', 1]]) }], moving);
  assert.equal(stillThere, moving);
  const arrived = run([{ type: 'observed', placement: new Map([['7', 2]]) }], moving);
  assert.equal(arrived.get('7')?.phase, 'landed');
  // A late Done after landing changes nothing; nor does settling a region that is still moving.
  assert.equal(run([{ type: 'state', regionId: '7', state: { status: 'Done', error: null } }], arrived), arrived);
  assert.equal(run([{ type: 'settled', regionId: '7' }], moving), moving);
});

test('a region cannot start twice, nor move onto its own node', () => {
  const starting = run([start]);
  assert.equal(canStart(starting, '7', 1, 3), false);
  assert.equal(run([{ ...start, to: 3 } as MigrationEvent], starting), starting);
  assert.equal(canStart(new Map(), '7', 2, 2), false);
  assert.equal(run([{ ...start, to: 1 } as MigrationEvent]).size, 0);
  // Once failed (snapping back) it may be tried again.
  const failed = run([{ type: 'refused', regionId: '7', error: 'no' }], starting);
  assert.equal(canStart(failed, '7', 1, 2), true);
});

test('events for regions that are not migrating are ignored', () => {
  const empty: Migrations = new Map();
  for (const event of [
    { type: 'accepted', regionId: '9', procedureId: 'x' },
    { type: 'refused', regionId: '9', error: 'x' },
    { type: 'state', regionId: '9', state: { status: 'Done', error: null } },
    { type: 'settled', regionId: '9' },
  ] as MigrationEvent[]) {
    assert.equal(reduceMigrations(empty, event), empty);
  }
});

test('procedure_state JSON text is parsed, unknown states fail the migration', () => {
  assert.deepEqual(parseProcedureState('{"status":"Running"}'), { status: 'Running', error: null });
  assert.deepEqual(parseProcedureState('{"status":"Done"}'), { status: 'Done', error: null });
  assert.deepEqual(parseProcedureState('{"status":"Failed","error":"boom"}'), { status: 'Failed', error: 'boom' });
  assert.deepEqual(parseProcedureState('{"status":"Executing"}'), { status: 'Running', error: null });
  assert.equal(parseProcedureState('not json').status, 'Unknown');
  const unknown = run([
    start,
    { type: 'accepted', regionId: '7', procedureId: 'p' },
    { type: 'state', regionId: '7', state: parseProcedureState('{"status":"Weird"}') },
  ]);
  assert.equal(unknown.get('7')?.phase, 'failed');
  assert.match(unknown.get('7')!.error!, /Weird/);
});
