/**
 * Procedures (DESIGN §3): long metadata operations as persisted state machines. Each step
 * records the state it reached under `__meta/procedure/<id>` before the next begins, so a
 * metasrv that dies mid-way finds the record when it starts again and carries on from there
 * (every step is safe to repeat). When the procedure ends, either way, the record goes and a
 * summary of it is kept under `__meta/procedure-done/<end time>-<id>` (the newest
 * `keptFinished` of them), for `information_schema.procedure_info`.
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
  /** What it locks, in GreptimeDB's lock key spelling (`lock-keys.ts`); absent in older records. */
  lockKeys?: string[];
}

export type ProcedureStatus = 'Running' | 'Done' | 'Failed';

/** One procedure as `procedure_info` shows it: running (a record) or finished (a summary). */
export interface ProcedureSummary {
  id: string;
  kind: string;
  status: ProcedureStatus;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms; absent while running. */
  endedAt?: number;
  lockKeys: string[];
  /** Why a failed procedure failed. */
  error?: string;
}

const prefix = '__meta/procedure/';
const donePrefix = '__meta/procedure-done/';
/** How many finished procedures are remembered. */
export const keptFinished = 100;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ProcedureStore {
  private readonly kv: KvBackend;

  constructor(kv: KvBackend) {
    this.kv = kv;
  }

  async begin<Data>(kind: string, state: string, data: Data, lockKeys: string[] = []): Promise<ProcedureRecord<Data>> {
    const now = Date.now();
    const record: ProcedureRecord<Data> = {
      id: `${kind}-${randomUUID()}`,
      kind,
      state,
      data,
      startedAt: now,
      updatedAt: now,
      lockKeys,
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

  /**
   * Ends the procedure: its summary is written first, then the record deleted (a metasrv that
   * dies in between resumes it and may remember it twice, never not at all), then summaries
   * beyond the newest `keptFinished` go.
   */
  async finish(record: ProcedureRecord, status: 'Done' | 'Failed' = 'Done', error?: string): Promise<void> {
    const endedAt = Date.now();
    const summary: ProcedureSummary = {
      id: record.id,
      kind: record.kind,
      status,
      startedAt: record.startedAt,
      endedAt,
      lockKeys: record.lockKeys ?? [],
      ...(error === undefined ? {} : { error }),
    };
    // Zero-padded so key order is end-time order.
    const key = `${donePrefix}${String(endedAt).padStart(15, '0')}-${record.id}`;
    await this.kv.put(key, encoder.encode(JSON.stringify(summary)));
    await this.kv.delete(prefix + record.id);
    const done = await this.kv.range(donePrefix);
    for (const entry of done.slice(0, Math.max(0, done.length - keptFinished))) await this.kv.delete(entry.key);
  }

  /** Procedures that have not finished, oldest first. */
  async pending(): Promise<ProcedureRecord[]> {
    const records = (await this.kv.range(prefix)).map(
      (entry) => JSON.parse(decoder.decode(entry.value)) as ProcedureRecord,
    );
    return records.sort((a, b) => a.startedAt - b.startedAt);
  }

  /** The remembered finished procedures, then the running ones, each oldest first. */
  async list(): Promise<ProcedureSummary[]> {
    const finished = (await this.kv.range(donePrefix)).map(
      (entry) => JSON.parse(decoder.decode(entry.value)) as ProcedureSummary,
    );
    const running = (await this.pending()).map((record): ProcedureSummary => ({
      id: record.id,
      kind: record.kind,
      status: 'Running',
      startedAt: record.startedAt,
      lockKeys: record.lockKeys ?? [],
    }));
    return [...finished, ...running];
  }
}
