/**
 * Region migrations as the board tracks them (docs/region-migration.md): a pure reducer over
 * the map of migrations in flight. A region missing from the map is idle.
 *
 *   idle ─start→ starting ─accepted→ moving ─Done / seen on target→ landed ─settled→ idle
 *                    │                  └─Failed→ failed ─settled→ idle
 *                    └─refused→ failed
 *
 * `starting`: `ADMIN migrate_region` sent, no procedure id yet. `landed` and `failed` last
 * for their animation (the tile lands, or snaps back with a toast), then `settled` clears them.
 */

export type MigrationPhase = 'starting' | 'moving' | 'landed' | 'failed';

export interface Migration {
  regionId: string;
  /** Peer ids of the source and target datanodes. */
  from: number;
  to: number;
  /** What the user sees for the region, e.g. "public.cpu region 2". */
  label: string;
  phase: MigrationPhase;
  procedureId: string | null;
  error: string | null;
}

/** `ADMIN procedure_state` as parsed. */
export interface ProcedureState {
  status: 'Running' | 'Done' | 'Failed' | 'Unknown';
  error: string | null;
}

export type MigrationEvent =
  | { type: 'start'; regionId: string; from: number; to: number; label: string }
  | { type: 'accepted'; regionId: string; procedureId: string }
  | { type: 'refused'; regionId: string; error: string }
  | { type: 'state'; regionId: string; state: ProcedureState }
  /** A board refresh: where each region leads now (region id → peer id). */
  | { type: 'observed'; placement: ReadonlyMap<string, number> }
  | { type: 'settled'; regionId: string };

export type Migrations = ReadonlyMap<string, Migration>;

export function isActive(migration: Migration | undefined): boolean {
  return migration?.phase === 'starting' || migration?.phase === 'moving';
}

/** Whether a region may be dragged to `to` now: not already moving, a different node. */
export function canStart(migrations: Migrations, regionId: string, from: number, to: number): boolean {
  return from !== to && !isActive(migrations.get(regionId));
}

function withMigration(migrations: Migrations, migration: Migration): Map<string, Migration> {
  const next = new Map(migrations);
  next.set(migration.regionId, migration);
  return next;
}

/** The next map of migrations; the same map when the event changes nothing. */
export function reduceMigrations(migrations: Migrations, event: MigrationEvent): Migrations {
  switch (event.type) {
    case 'start': {
      if (!canStart(migrations, event.regionId, event.from, event.to)) return migrations;
      const { regionId, from, to, label } = event;
      return withMigration(migrations, {
        regionId,
        from,
        to,
        label,
        phase: 'starting',
        procedureId: null,
        error: null,
      });
    }
    case 'accepted': {
      const current = migrations.get(event.regionId);
      if (current?.phase !== 'starting') return migrations;
      return withMigration(migrations, { ...current, phase: 'moving', procedureId: event.procedureId });
    }
    case 'refused': {
      const current = migrations.get(event.regionId);
      if (!isActive(current)) return migrations;
      return withMigration(migrations, { ...current!, phase: 'failed', error: event.error });
    }
    case 'state': {
      const current = migrations.get(event.regionId);
      if (current?.phase !== 'moving') return migrations;
      if (event.state.status === 'Done') return withMigration(migrations, { ...current, phase: 'landed' });
      if (event.state.status === 'Failed' || event.state.status === 'Unknown') {
        const error = event.state.error ?? 'the migration procedure failed';
        return withMigration(migrations, { ...current, phase: 'failed', error });
      }
      return migrations;
    }
    case 'observed': {
      // region_peers may show the region on its target before procedure_state says Done.
      let next: Map<string, Migration> | null = null;
      for (const migration of migrations.values()) {
        if (migration.phase === 'moving' && event.placement.get(migration.regionId) === migration.to) {
          next ??= new Map(migrations);
          next.set(migration.regionId, { ...migration, phase: 'landed' });
        }
      }
      return next ?? migrations;
    }
    case 'settled': {
      const current = migrations.get(event.regionId);
      if (current?.phase !== 'landed' && current?.phase !== 'failed') return migrations;
      const next = new Map(migrations);
      next.delete(event.regionId);
      return next;
    }
  }
}

/**
 * `ADMIN procedure_state` answers JSON text: `{"status":"Running"}`, `{"status":"Done"}` or
 * `{"status":"Failed","error":"..."}`. GreptimeDB spells some states differently
 * ("Executing", "Retrying", "PrepareRollback"); those count as running.
 */
export function parseProcedureState(text: string): ProcedureState {
  let parsed: { status?: unknown; error?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return { status: 'Unknown', error: `unreadable procedure state: ${text}` };
  }
  const status = String(parsed.status ?? '');
  const error = parsed.error === undefined || parsed.error === null ? null : String(parsed.error);
  if (/^done$/i.test(status)) return { status: 'Done', error: null };
  if (/^(failed|poisoned)$/i.test(status)) return { status: 'Failed', error };
  if (/^(running|executing|retrying|suspended|preparerollback|rollingback)$/i.test(status)) {
    return { status: 'Running', error: null };
  }
  return { status: 'Unknown', error: `unknown procedure status: ${status || text}` };
}
