/**
 * The datanode's rpc methods, called by frontends and supervisors. Region requests
 * (write, scan, open, close) join these as the storage engine arrives.
 */
import { unary } from '../method.ts';
import { integer, object, optional, string } from '../schema.ts';
import type { Infer } from '../schema.ts';

export const datanodeInfoResponseSchema = object({
  /** Undefined until the datanode has registered with metasrv. */
  nodeId: optional(integer()),
  addr: string(),
  pid: integer(),
  startedAt: integer(),
  /** Epoch ms until which this datanode holds its lease (0 when it holds none). */
  leaseUntil: integer(),
  regionCount: integer(),
});
export type DatanodeInfoResponse = Infer<typeof datanodeInfoResponseSchema>;

/** The datanode's view of itself. */
export const datanodeInfo = unary('datanode.info', object({}), datanodeInfoResponseSchema);
