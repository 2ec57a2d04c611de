/** `bench/workload`: seeded generated workloads and SWF traces, as the jobs a scheduler runs. */
export * from '../hpc/workload/index.js';
