/** `bench/backends`: providers and schedulers by kind (the registry derived from each backend's descriptor). */
export * from '../hpc/backends/registry.js';
