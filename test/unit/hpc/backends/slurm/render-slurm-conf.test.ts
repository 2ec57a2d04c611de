import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderGresConf, renderSchedulerParameters, renderSlurmConf } from '../../../../../src/hpc/backends/slurm/render-slurm-conf.js';
import type { Cluster, Host } from '../../../../../src/hpc/backends/types.js';
import type { Diagnostic } from '../../../../../src/engine/diagnostic.js';
import { confKeys } from './schema-files.js';

const host = (name: string, role: Host['role'], address: string, cpus: number, memoryMiB: number, gpus = 0): Host =>
  ({ name, role, address, port: 22, user: 'root', cpus, memoryMiB, gpus });
const cluster: Cluster = {
  provider: 'netns',
  hosts: [host('head', 'head', '10.82.0.2', 4, 8192), host('c1', 'compute', '10.82.0.3', 8, 32768, 2), host('c2', 'compute', '10.82.0.4', 8, 32768, 0)],
  data: {},
};
const preset = parse(readFileSync(resolve(import.meta.dirname, '../../../../../conf/scheduler/slurm.yaml'), 'utf8')) as Record<string, unknown>;

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#'));
}
function value(text: string, key: string): string | undefined {
  return lines(text).find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
}

describe('renderSlurmConf', () => {
  const r = renderSlurmConf(cluster, preset, { clusterName: 'bench1' });

  it('renders the shipped preset without diagnostics', () => {
    expect(r.diagnostics).toEqual([]);
  });

  it('names the controller by host name and address and sets what namespaces need', () => {
    expect(value(r.text, 'ClusterName')).toBe('bench1');
    expect(value(r.text, 'SlurmctldHost')).toBe('head(10.82.0.2)');
    expect(value(r.text, 'SlurmUser')).toBe('root');
    expect(value(r.text, 'AuthType')).toBe('auth/munge');
    expect(value(r.text, 'ProctrackType')).toBe('proctrack/linuxproc');
    expect(value(r.text, 'TaskPlugin')).toBe('task/none');
    expect(value(r.text, 'JobCompType')).toBe('jobcomp/filetxt');
    expect(value(r.text, 'JobCompLoc')).toBe('/var/log/slurm/jobcomp.txt');
    expect(value(r.text, 'StateSaveLocation')).toBe('/var/spool/slurmctld');
    expect(value(r.text, 'SlurmdSpoolDir')).toBe('/var/spool/slurmd');
    expect(value(r.text, 'ReturnToService')).toBe('2');
  });

  it('writes a full node line per compute host, GPUs only where declared, and one default partition', () => {
    expect(lines(r.text).filter((l) => l.startsWith('NodeName='))).toEqual([
      'NodeName=c1 NodeAddr=10.82.0.3 CPUs=8 Boards=1 SocketsPerBoard=1 CoresPerSocket=8 ThreadsPerCore=1 RealMemory=32768 Gres=gpu:2',
      'NodeName=c2 NodeAddr=10.82.0.4 CPUs=8 Boards=1 SocketsPerBoard=1 CoresPerSocket=8 ThreadsPerCore=1 RealMemory=32768',
    ]);
    expect(value(r.text, 'GresTypes')).toBe('gpu');
    expect(value(r.text, 'PartitionName')).toBe('batch Nodes=c1,c2 Default=YES MaxTime=INFINITE State=UP');
  });

  it('writes the scheduler keys as they stand and SchedulerParameters as k=v, flags bare', () => {
    expect(value(r.text, 'SchedulerType')).toBe('sched/backfill');
    expect(value(r.text, 'SelectTypeParameters')).toBe('CR_Core_Memory');
    expect(value(r.text, 'PriorityWeightFairshare')).toBe('10000');
    expect(value(r.text, 'PriorityFavorSmall')).toBe('NO');
    expect(value(r.text, 'SchedulerParameters')).toBe('bf_window=1440,bf_max_job_test=500,bf_interval=1,bf_resolution=60,sched_min_interval=0,default_queue_depth=100');
    expect(renderSchedulerParameters({ bf_continue: true, pack_serial_at_end: false, bf_interval: 30 }, [])).toBe('bf_continue,bf_interval=30');
    expect(lines(r.text).some((l) => l.startsWith('kind='))).toBe(false);
  });

  it('gives memory-consumable selection a per-CPU default so jobs share nodes, and says so', () => {
    expect(value(r.text, 'DefMemPerCPU')).toBe('4096');
    expect(r.notes.join('\n')).toMatch(/DefMemPerCPU=4096/);
    const own = renderSlurmConf(cluster, { ...preset, DefMemPerNode: 1024 }, { clusterName: 'b' });
    expect(value(own.text, 'DefMemPerCPU')).toBeUndefined();
    const cores = renderSlurmConf(cluster, { ...preset, SelectTypeParameters: 'CR_Core' }, { clusterName: 'b' });
    expect(value(cores.text, 'DefMemPerCPU')).toBeUndefined();
  });

  it('adds config_overrides only when the declared sizes exceed the machine', () => {
    expect(value(r.text, 'SlurmdParameters')).toBeUndefined();
    const scaled = renderSlurmConf({ ...cluster, scaledNote: 'declared 8 CPUs per host on a 2-CPU machine' }, preset, { clusterName: 'b' });
    expect(value(scaled.text, 'SlurmdParameters')).toBe('config_overrides');
    const probed = renderSlurmConf(cluster, { ...preset, SlurmdParameters: 'shutdown_on_reboot' }, { clusterName: 'b', configOverrides: true });
    expect(value(probed.text, 'SlurmdParameters')).toBe('shutdown_on_reboot,config_overrides');
  });

  it('skips bench keys, lets the config replace a default, and errors on unknown or owned keys by name', () => {
    const out = renderSlurmConf(cluster, { ...preset, manage: true, payload: 'sleep', ReturnToService: 1, Foo: 'bar', AuthType: 'auth/none', SchedulerParameters: { bf_windw: 10 } }, { clusterName: 'b' });
    expect(value(out.text, 'ReturnToService')).toBe('1');
    expect(lines(out.text).some((l) => /^(manage|payload|Foo)=/.test(l))).toBe(false);
    const errors = out.diagnostics.filter((d: Diagnostic) => d.severity === 'error').map((d) => d.keyPath);
    expect(errors.sort()).toEqual(['scheduler.AuthType', 'scheduler.Foo', 'scheduler.SchedulerParameters.bf_windw']);
    expect(value(out.text, 'AuthType')).toBe('auth/munge');
  });

  it('accepts keys in any case, as slurm.conf does, and writes their documented spelling', () => {
    const out = renderSlurmConf(cluster, { kind: 'slurm', schedulertype: 'sched/builtin', SelectType: 'select/cons_tres' }, { clusterName: 'b' });
    expect(out.diagnostics).toEqual([]);
    expect(value(out.text, 'SchedulerType')).toBe('sched/builtin');
  });

  it('refuses a cluster without head or compute hosts', () => {
    const out = renderSlurmConf({ ...cluster, hosts: cluster.hosts.slice(0, 1) }, preset, { clusterName: 'b' });
    expect(out.diagnostics.map((d) => d.message)).toEqual(['the cluster has no compute hosts to run slurmd']);
  });

  it('renders only keys the 22.05 parser documents, in the scope of their line', () => {
    const keys = confKeys();
    const scaled = renderSlurmConf({ ...cluster, scaledNote: 'x' }, preset, { clusterName: 'b' });
    for (const line of lines(scaled.text)) {
      const pairs = line.split(/\s+/).map((p) => p.slice(0, p.indexOf('=')));
      const [first, ...rest] = pairs as [string, ...string[]];
      expect(keys.get('global')?.has(first.toLowerCase()), first).toBe(true);
      const scope = first === 'NodeName' || first === 'PartitionName' ? first : undefined;
      for (const k of scope ? rest : []) expect(keys.get(scope as string)?.has(k.toLowerCase()), `${scope}: ${k}`).toBe(true);
    }
  });
});

describe('renderGresConf', () => {
  it('declares each node\'s GPUs as fake device files with autodetection off', () => {
    expect(renderGresConf(cluster.hosts.filter((h) => h.role === 'compute'))).toBe(
      '# The GPUs are declared, not real: each File is a symlink to /dev/null.\nAutoDetect=off\nNodeName=c1 Name=gpu File=/etc/slurm/fake-gpu/gpu[0-1]\n',
    );
    expect(renderGresConf([host('c9', 'compute', '', 1, 1, 1)])).toContain('NodeName=c9 Name=gpu File=/etc/slurm/fake-gpu/gpu0');
    expect(renderGresConf([host('c9', 'compute', '', 1, 1, 0)])).toBeUndefined();
  });
});
