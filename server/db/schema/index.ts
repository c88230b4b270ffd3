// Every table of the service; drizzle-kit reads this folder to generate migrations.
export * from './boundaries.js';
export * from './stations.js';
export * from './demand.js';
export * from './accounts.js';
export * from './station-changes.js';
export * from './roads.js';
export * from './station-sync.js';
export * from './holidays.js';
export * from './coverage-cache.js';
export * from './station-photos.js';
