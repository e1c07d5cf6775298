/** Serves the region migration channel (engine/rpc/api/migration-api.ts). */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { migrateRegion, procedureState, regionRoute } from '../../rpc/index.ts';
import type { ProcedureStateReply, RpcServer } from '../../rpc/index.ts';
import type { TableMetadataStore } from '../catalog/table-metadata.ts';
import type { ProcedureRecord, ProcedureStore } from '../procedure/index.ts';
import { migrateRegionKind } from './migrate-region.ts';
import type { MigrateRegionData, RegionMigrations } from './migrate-region.ts';

export function serveMigrations(
  server: Pick<RpcServer, 'handle' | 'handleStream'>,
  migrations: RegionMigrations,
  procedures: ProcedureStore,
  store: TableMetadataStore,
): void {
  server.handle(migrateRegion, async (request) => ({ procedureId: await migrations.submit(request) }));
  server.handle(procedureState, async ({ procedureId }) => stateOf(procedures, procedureId));
  server.handle(regionRoute, async ({ regionId }) => {
    const nodeId = (await store.getRoute(Math.floor(regionId / 2 ** 32)))?.[String(regionId)];
    // From the records, not memory: a migration a restarted metasrv has not resumed yet counts.
    const migrating = (await procedures.pending()).some(
      (record) =>
        record.kind === migrateRegionKind && (record as ProcedureRecord<MigrateRegionData>).data.regionId === regionId,
    );
    return { ...(nodeId === undefined ? {} : { nodeId }), ...(migrating ? { migrating } : {}) };
  });
}

/** Any procedure's state: a record still pending is Running; a finished one has its summary. */
async function stateOf(procedures: ProcedureStore, id: string): Promise<ProcedureStateReply> {
  const summary = (await procedures.list()).find((procedure) => procedure.id === id);
  if (!summary) throw new TesseraError(ErrorCode.InvalidArguments, `Procedure not found: ${id}`);
  return { status: summary.status, ...(summary.error === undefined ? {} : { error: summary.error }) };
}
