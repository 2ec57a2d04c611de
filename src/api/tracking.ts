/** `bench/tracking`: exporting a sweep's runs to an experiment tracker (MLflow's REST API). */
export * from '../hpc/tracking/tracking-schema.js';
export * from '../hpc/tracking/mlflow-client.js';
export * from '../hpc/tracking/export-sweep.js';
export * from '../hpc/tracking/collect-run.js';
