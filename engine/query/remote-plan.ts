/**
 * Plan fragments on the wire: the part of a plan below a MergeScan travels to each region's
 * datanode as JSON. Plans are plain objects already (expressions, types and schemas are
 * data); only a table scan holds a live `TableProvider`, which is sent as its schema and
 * rebuilt on the datanode over the local region.
 */
import { Field, Schema } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../common/index.ts';
import { fromArrowType, toArrowType } from './data-type.ts';
import type { SqlType } from './data-type.ts';
import type { LogicalPlan } from './logical-plan.ts';
import { planInputs, withInputs } from './logical-plan.ts';
import type { TableProvider, TableSchema } from './table-provider.ts';

/** A scanned table as the fragment carries it: enough to rebuild its `TableSchema`. */
export interface RemoteTableDescription {
  fields: { name: string; type: SqlType; nullable: boolean }[];
  timeIndex: string | null;
  tags: string[];
}

const VERSION = 1;

export function serializeRemotePlan(plan: LogicalPlan): string {
  const strip = (node: LogicalPlan): unknown => {
    if (node.kind === 'table-scan') {
      const { table, ...rest } = node;
      return { ...rest, table: describeTable(table.schema) };
    }
    const inputs = planInputs(node).map(strip);
    switch (node.kind) {
      case 'join':
        return { ...node, left: inputs[0], right: inputs[1] };
      case 'union':
        return { ...node, inputs };
      case 'values':
      case 'empty-relation':
        return node;
      default:
        return { ...node, input: inputs[0] };
    }
  };
  return JSON.stringify({ version: VERSION, plan: strip(plan) }, encodeValue);
}

/**
 * Literals may hold what JSON has no spelling for: 64-bit integers and interval nanoseconds
 * (bigint) and binary values (Uint8Array). They travel tagged and come back as they were.
 */
function encodeValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  return value;
}

function decodeValue(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    const tagged = value as { $bigint?: unknown; $bytes?: unknown };
    if (typeof tagged.$bigint === 'string' && Object.keys(value).length === 1) return BigInt(tagged.$bigint);
    if (typeof tagged.$bytes === 'string' && Object.keys(value).length === 1) {
      return new Uint8Array(Buffer.from(tagged.$bytes, 'base64'));
    }
  }
  return value;
}

/** Rebuilds a fragment; `openTable` supplies the provider for each scanned table. */
export function deserializeRemotePlan(text: string, openTable: (schema: TableSchema) => TableProvider): LogicalPlan {
  let parsed: { version?: unknown; plan?: unknown };
  try {
    parsed = JSON.parse(text, decodeValue) as typeof parsed;
  } catch (error) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Plan fragment is not JSON: ${(error as Error).message}`);
  }
  if (parsed.version !== VERSION || typeof parsed.plan !== 'object' || parsed.plan === null) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Unsupported plan fragment version ${String(parsed.version)}`);
  }
  const rebuild = (node: LogicalPlan): LogicalPlan => {
    if (node.kind === 'table-scan') {
      const description = node.table as unknown as RemoteTableDescription;
      return { ...node, table: openTable(tableSchemaOf(description)) };
    }
    return withInputs(node, planInputs(node).map(rebuild));
  };
  return rebuild(parsed.plan as LogicalPlan);
}

function describeTable(schema: TableSchema): RemoteTableDescription {
  return {
    fields: schema.arrow.fields.map((field) => ({
      name: field.name,
      type: fromArrowType(field.type),
      nullable: field.nullable,
    })),
    timeIndex: schema.timeIndex,
    tags: schema.tags,
  };
}

function tableSchemaOf(description: RemoteTableDescription): TableSchema {
  return {
    arrow: new Schema(
      description.fields.map((field) => new Field(field.name, toArrowType(field.type), field.nullable)),
    ),
    timeIndex: description.timeIndex,
    tags: description.tags,
  };
}
