/**
 * Procedures (DESIGN §3): long metadata operations as persisted state machines. Each step
 * records the state it reached under `__meta/procedure/<id>` before the next begins, so a
 * metasrv that dies mid-way finds the record when it starts again and carries on from there
 * (every step is safe to repeat). The record is deleted when the procedure ends, either way.
 */
import { randomUUID } from 'node:crypto';
import type { KvBackend } from '../kv/index.ts';

export interface ProcedureRecord<Data = unknown> {
  id: string;
  /** What it does: `create-table`, … */
  kind: string;
  /** The step to run next. */
  state: string;
  data: Data;
  /** Epoch ms. */
  startedAt: number;
  updatedAt: number;
}

const prefix = '__meta/procedure/';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ProcedureStore {
  private readonly kv: KvBackend;

  constructor(kv: KvBackend) {
    this.kv = kv;
  }

  async begin<Data>(kind: string, state: string, data: Data): Promise<ProcedureRecord<Data>> {
    const now = Date.now();
    const record: ProcedureRecord<Data> = {
      id: `${kind}-${randomUUID()}`,
      kind,
      state,
      data,
      startedAt: now,
      updatedAt: now,
    };
    await this.kv.put(prefix + record.id, encoder.encode(JSON.stringify(record)));
    return record;
  }

  /** Records that the procedure reached `state`. */
  async advance<Data>(record: ProcedureRecord<Data>, state: string): Promise<ProcedureRecord<Data>> {
    const next = { ...record, state, updatedAt: Date.now() };
    await this.kv.put(prefix + record.id, encoder.encode(JSON.stringify(next)));
    return next;
  }

  async finish(id: string): Promise<void> {
    await this.kv.delete(prefix + id);
  }

  /** Procedures that have not finished, oldest first. */
  async pending(): Promise<ProcedureRecord[]> {
    const records = (await this.kv.range(prefix)).map(
      (entry) => JSON.parse(decoder.decode(entry.value)) as ProcedureRecord,
    );
    return records.sort((a, b) => a.startedAt - b.startedAt);
  }
}
