/**
 * The region migration channel (docs/region-migration.md): a frontend asks metasrv to move a
 * region to another datanode (GreptimeDB's `ADMIN migrate_region`) and polls the procedure
 * (`ADMIN procedure_state`). metasrv checks the request at once and answers with the
 * procedure's id; the steps run afterwards.
 */
import { unary } from '../method.ts';
import { boolean, integer, object, oneOf, optional, string } from '../schema.ts';
import type { Infer } from '../schema.ts';

export const migrateRegionRequestSchema = object({
  regionId: integer(),
  fromPeerId: integer(),
  toPeerId: integer(),
  /** How long the target may take to open (replay) the region, seconds. Default 10. */
  replayTimeoutSecs: optional(integer()),
});
export type MigrateRegionRequest = Infer<typeof migrateRegionRequestSchema>;

/**
 * Starts migrating a region. Refused at once (naming the value) when the region does not
 * exist, is not on `fromPeerId`, already migrates, or the target is unknown, down or the same.
 */
export const migrateRegion = unary('region.migrate', migrateRegionRequestSchema, object({ procedureId: string() }));

/**
 * A procedure's state: running, or one of the last finished ones metasrv remembers (with the
 * error of a failed one). InvalidArguments `Procedure not found: <id>` otherwise.
 */
export const procedureState = unary(
  'procedure.state',
  object({ procedureId: string() }),
  object({ status: oneOf('Running', 'Done', 'Failed'), error: optional(string()) }),
);
export type ProcedureStateReply = Infer<typeof procedureState.response>;

/**
 * Which datanode a region's route names now (absent: no such region), and whether a migration
 * of it is under way. A frontend asks before it opens a region lazily: a region that has moved
 * away is never opened again where it was, and one that is migrating is opened only by the
 * migration (a source that restarted mid-way must not take writes its flush did not see).
 */
export const regionRoute = unary(
  'region.route',
  object({ regionId: integer() }),
  object({ nodeId: optional(integer()), migrating: optional(boolean()) }),
);
