/**
 * The part of engine/common that runs anywhere JavaScript does (no Node APIs): what the pure
 * modules (engine/sql, engine/partition) import, so a browser bundle — the renderer's
 * partition designer — can use them. index.ts re-exports all of it for the rest of the engine.
 */
export { ErrorCode, TesseraError, asTesseraError, fromWire } from './errors.ts';
export type { TesseraErrorOptions, WireError } from './errors.ts';
