export { ProcedureStore, keptFinished } from './procedure-store.ts';
export type { ProcedureRecord, ProcedureStatus, ProcedureSummary } from './procedure-store.ts';
export { faultPoint } from './fault-point.ts';
export { databaseLockKeys, procedureTypeName, tableLockKeys } from './lock-keys.ts';
