/** `bench/results`: Arrow result tables (jobs, metrics, host series), their readers and writers, and a point's config.yaml. */
export * from '../hpc/results/index.js';
export { writePointConfig, POINT_CONFIG_FILE } from '../engine/config/save-point.js';
