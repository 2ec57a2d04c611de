/** `bench/services`: services and benchmark clients as SLURM jobs (recipes, kinds, deploy, client runs, metrics, report). */
export * from '../hpc/services/index.js';
