/** `bench/metrics`: run metrics as the README defines them, repetition aggregates, simulator fidelity. */
export * from '../hpc/metrics/index.js';
export * from '../hpc/metrics/fidelity.js';
