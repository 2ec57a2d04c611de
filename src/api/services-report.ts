/** `bench/services-report`: the latency–throughput page of `report:services`, apart from `bench/services` so client runs do not depend on it. */
export { buildServicesReport, type ServicePoint } from '../hpc/services/services-report.js';
export type { ClientMetrics } from '../hpc/services/client-metrics.js';
