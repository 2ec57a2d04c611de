/**
 * Services and benchmark clients as SLURM jobs: recipes, kinds, deployment, client runs, metrics.
 * The report is apart (`bench/services-report`), so editing it does not rerun client jobs (a task's
 * code is every module it reaches).
 */
export { clientRowsToTable, tableToClientRows } from './client-table.js';
export { computeClientMetrics, type ClientMetrics } from './client-metrics.js';
export type { ClientRow } from './client-row.js';
export { deployService, describeService, runClient, undeployService, type ClientRunResult, type ServiceHandle, type ServiceImage } from './deploy.js';
export type { ClientKind, Endpoint, ServiceKind } from './kind.js';
export { CLIENTS, CLIENT_KINDS, clientKindFor, SERVICES, SERVICE_KINDS, serviceKindFor } from './registry.js';
export { ServiceJobError } from './slurm-job.js';
export { ImageBuildError, type BuiltContainerImage } from './container-image.js';
export { buildServiceImage, imageSpecFor } from './service-image.js';
export { listContainersArgv } from './container-run.js';
export { containerStore, storeEnv } from './container-store.js';
