/**
 * The function registry: name to definition. Adding a function is adding one definition to a
 * family file (or a new file) and listing it here; the planner, the type checker and the
 * executor find it by name.
 */
import type { AggregateFunction, ScalarFunction } from './function.ts';
import { mathFunctions } from './math-functions.ts';
import { stringFunctions } from './string-functions.ts';
import { mysqlStringFunctions } from './mysql-string-functions.ts';
import { fulltextFunctions } from './fulltext-functions.ts';
import { regexFunctions } from './regex-functions.ts';
import { datePartFunctions } from './date-part-functions.ts';
import { conditionalFunctions } from './conditional-functions.ts';
import { dateBin } from './date-bin-function.ts';
import { datetimeFunctions } from './datetime-functions.ts';
import { aggregateFunctions } from './aggregate-functions.ts';
import { collectAggregates } from './collect-aggregates.ts';
import { statsAggregates } from './stats-aggregates.ts';
import { percentileAggregates } from './percentile-aggregates.ts';
import { ipFunctions } from './ip-functions.ts';
import { geoAggregates, geoFunctions } from './geo-functions.ts';
import { sessionFunctions } from './session-functions.ts';
import { postgresFunctions } from './postgres-functions.ts';
import { arrayAggregates, arrayFunctions } from './array-functions.ts';
import { hllAggregates, hllFunctions } from './hll-functions.ts';

const scalars = new Map<string, ScalarFunction>();
const aggregates = new Map<string, AggregateFunction>();

for (const fn of [
  ...mathFunctions,
  ...stringFunctions,
  ...mysqlStringFunctions,
  ...fulltextFunctions,
  ...regexFunctions,
  ...datePartFunctions,
  ...conditionalFunctions,
  ...datetimeFunctions,
  dateBin,
  ...ipFunctions,
  ...geoFunctions,
  ...sessionFunctions,
  ...postgresFunctions,
  ...arrayFunctions,
  ...hllFunctions,
]) {
  scalars.set(fn.name, fn);
}
for (const fn of [
  ...aggregateFunctions,
  ...collectAggregates,
  ...statsAggregates,
  ...percentileAggregates,
  ...geoAggregates,
  ...arrayAggregates,
  ...hllAggregates,
]) {
  aggregates.set(fn.name, fn);
}

/** The scalar function named `name` (lower case), if any. */
export function scalarFunction(name: string): ScalarFunction | undefined {
  return scalars.get(name);
}

/** The aggregate function named `name` (lower case), if any. */
export function aggregateFunction(name: string): AggregateFunction | undefined {
  return aggregates.get(name);
}

/** Registers a scalar function (plugins, tests); replaces one of the same name. */
export function registerScalarFunction(fn: ScalarFunction): void {
  scalars.set(fn.name, fn);
}

/** Registers an aggregate function; replaces one of the same name. */
export function registerAggregateFunction(fn: AggregateFunction): void {
  aggregates.set(fn.name, fn);
}

/** Every registered name, sorted (for `SHOW FUNCTIONS`-like listings). */
export function functionNames(): string[] {
  return [...scalars.keys(), ...aggregates.keys()].sort();
}
