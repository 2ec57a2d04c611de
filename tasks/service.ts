/**
 * `service:deploy`: a live resource. Up = sbatch the service recipe's job on the SLURM cluster,
 * wait for RUNNING, resolve its node from squeue and wait for its health check; down = scancel
 * that job only. One deployment serves every client run whose service config is the same, so a
 * sweep over client keys (e.g. `client.concurrency=1,8,32`) reuses it.
 */
import { defineResource } from 'bench';
import type { SchedulerHandle } from 'bench';
import { backendContext } from './cluster.js';
import { onlyDep, readJson, TaskError } from './io.js';

export const serviceDeploy = defineResource({
  kind: 'resource',
  name: 'service:deploy',
  version: 1,
  description: 'Run the service recipe as a SLURM job and wait until its health check passes',
  needs: ['scheduler:configure', 'service:image'],
  reads: ['service', 'provider', 'topology', 'scheduler'],
  async up(ctx) {
    const { deployService, ServiceJobError } = await import('bench/services');
    const service = ctx.config.service;
    if (!service || service.kind === 'none') throw new TaskError('service:deploy: no service chosen (service=none); choose one, e.g. service=redis client=redis');
    const scheduler = onlyDep(ctx.deps, 'scheduler:configure').handle as SchedulerHandle;
    if (scheduler.kind !== 'slurm') throw new TaskError(`service:deploy: services run as SLURM jobs, but the scheduler is ${scheduler.kind} (use scheduler=slurm)`);
    // The image service:image built (absent when the service runs on the host).
    const image = await readJson<{ ref?: string; store?: string }>(onlyDep(ctx.deps, 'service:image').dir, 'image.json');
    try {
      return await deployService(scheduler.cluster, service as Parameters<typeof deployService>[1], backendContext(ctx),
        image.ref && image.store ? { ref: image.ref, store: image.store } : undefined);
    } catch (e) {
      if (e instanceof ServiceJobError) throw new TaskError(e.message);
      throw e;
    }
  },
  async down(handle, ctx) {
    const { undeployService } = await import('bench/services');
    await undeployService(handle, backendContext(ctx));
  },
  async describe(handle, ctx) {
    const { describeService } = await import('bench/services');
    return describeService(handle, backendContext(ctx));
  },
});
