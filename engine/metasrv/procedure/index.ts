export { ProcedureStore } from './procedure-store.ts';
export type { ProcedureRecord } from './procedure-store.ts';
export { faultPoint } from './fault-point.ts';
