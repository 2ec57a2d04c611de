/** Arrow results: schemas, writers and readers, exports. */
export * from './schemas.js';
export * from './arrow-file.js';
export * from './jobs-table.js';
export * from './metrics-table.js';
export * from './host-series.js';
export * from './scheduler-series.js';
export * from './export-table.js';
