/** The type names GreptimeDB's HTTP API reports in `column_schemas[].data_type`. */
import type { Field } from 'apache-arrow';
import { fromArrowType } from '../../query/index.ts';
import type { SqlType } from '../../query/index.ts';

const greptimeNames: Partial<Record<SqlType, string>> = {
  Utf8: 'String',
  'Timestamp(Second, None)': 'TimestampSecond',
  'Timestamp(Millisecond, None)': 'TimestampMillisecond',
  'Timestamp(Microsecond, None)': 'TimestampMicrosecond',
  'Timestamp(Nanosecond, None)': 'TimestampNanosecond',
  'Interval(MonthDayNano)': 'IntervalMonthDayNano',
};

export function greptimeTypeName(field: Field): string {
  return greptimeName(fromArrowType(field.type));
}

function greptimeName(type: SqlType): string {
  // Decimal128(10, 2) is shown as Decimal(10, 2); List(Utf8) as List<String>.
  if (type.startsWith('Decimal128(')) return type.replace('Decimal128', 'Decimal');
  if (type.startsWith('List(')) return `List<${greptimeName(type.slice('List('.length, -1) as SqlType)}>`;
  return greptimeNames[type] ?? type;
}
