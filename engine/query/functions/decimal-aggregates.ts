/**
 * sum and avg over Decimal128, exact on scaled bigints, with DataFusion's result types:
 * sum(Decimal128(p, s)) is Decimal128(min(38, p + 10), s); avg is Decimal128(min(38, p + 4),
 * min(38, s + 4)), rounded half away from zero.
 */
import type { Column } from '../column.ts';
import type { DecimalType, SqlType } from '../data-type.ts';
import { decimalParams, decimalType } from '../data-type.ts';
import { divRound, rescale } from '../decimal.ts';
import type { GroupsAccumulator } from './function.ts';

/** The result type of sum over a decimal. */
export function decimalSumType(type: DecimalType): SqlType {
  const { precision, scale } = decimalParams(type);
  return decimalType(Math.min(38, precision + 10), scale);
}

/** The result type of avg over a decimal. */
export function decimalAvgType(type: DecimalType): SqlType {
  const { precision, scale } = decimalParams(type);
  return decimalType(Math.min(38, precision + 4), Math.min(38, scale + 4));
}

/** Per-group bigint sums (and counts, for avg); `returnType` decides the output scale. */
export function decimalSumAccumulator(
  inputType: DecimalType,
  returnType: DecimalType,
  average: boolean,
): GroupsAccumulator {
  const inputScale = decimalParams(inputType).scale;
  const outputScale = decimalParams(returnType).scale;
  const sums: bigint[] = [];
  const counts: number[] = [];
  return {
    update(args: Column[], groupIds: Int32Array, groupCount: number) {
      while (sums.length < groupCount) {
        sums.push(0n);
        counts.push(0);
      }
      const column = args[0];
      if (column.type === 'Null') return;
      const values = column.values as bigint[];
      for (let i = 0; i < column.length; i++) {
        if (column.valid !== null && column.valid[i] === 0) continue;
        sums[groupIds[i]] += values[i];
        counts[groupIds[i]]++;
      }
    },
    finish(groupCount: number): Column {
      const values = new Array<bigint>(groupCount).fill(0n);
      const valid = new Uint8Array(groupCount);
      for (let g = 0; g < groupCount; g++) {
        if ((counts[g] ?? 0) === 0) continue;
        valid[g] = 1;
        const total = rescale(sums[g], inputScale, outputScale);
        values[g] = average ? divRound(total, BigInt(counts[g])) : total;
      }
      return { type: returnType, length: groupCount, values, valid };
    },
    bytes: () => sums.length * 24,
  };
}
