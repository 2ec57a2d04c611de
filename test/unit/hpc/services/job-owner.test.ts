import { describe, expect, it } from 'vitest';
import { orphanedServiceJobs, ownerComment, projectId } from '../../../../src/hpc/services/job-owner.js';

const P = projectId('/projects/a');
const dead = () => false;

describe('orphaned service jobs', () => {
  it('are ours (project and machine in the comment), named as service or client jobs, with a dead owner and no ledger row', () => {
    const squeue = [
      `11|bench-svc-inference|bench-svc ${P} here:100:5`,
      `12|bench-client-inference|bench-svc ${P} here:101:5`,
      // Live owner: a run in progress.
      `13|bench-client-inference|bench-svc ${P} here:200:7`,
      // Another project on the same cluster, another machine, a similar name without our comment.
      `14|bench-client-inference|bench-svc ${projectId('/projects/b')} here:100:5`,
      `15|bench-client-inference|bench-svc ${P} elsewhere:100:5`,
      '16|bench-client-inference|',
      '17|bench-svc-inference|(null)',
      // Our comment on a job that is not a service or client job.
      `18|my-job|bench-svc ${P} here:100:5`,
      // Held by a ledger row (a kept bench up session).
      `19|bench-svc-redis|bench-svc ${P} here:100:5`,
      'garbage',
    ].join('\n');
    const ids = orphanedServiceJobs(squeue, P, { here: 'here', alive: (o) => o.pid === 200, keep: new Set([19]) });
    expect(ids).toEqual([11, 12]);
    expect(orphanedServiceJobs(squeue, P, { here: 'here', alive: dead })).toEqual([11, 12, 13, 19]);
  });

  it('name the project by this machine and folder, and the owner by pid and start time', () => {
    expect(P).toMatch(/^[0-9a-f]{16}$/);
    expect(projectId('/projects/b')).not.toBe(P);
    expect(ownerComment('/projects/a', { pid: 42, start: '99' })).toMatch(new RegExp(`^bench-svc ${P} \\S+:42:99$`));
  });
});
