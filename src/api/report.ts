/** `bench/report`: Pareto ranking, objectives, cost metrics and the sweep report. */
export * from '../hpc/pareto/index.js';
export * from '../hpc/report/index.js';
export * from '../hpc/report/build-sweep-report.js';
export * from '../hpc/report/provenance.js';
