export { RegionMigrations, migrateRegionKind } from './migrate-region.ts';
export type { MigrateRegionData } from './migrate-region.ts';
export { serveMigrations } from './serve-migration.ts';
