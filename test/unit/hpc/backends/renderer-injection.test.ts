/**
 * Every renderer of a foreign format, fed random strings where the config or a provider puts a
 * value, either rejects the value (with a located diagnostic or a named error) or writes it so
 * that it stays one value: never an extra slurm.conf directive, gres.conf line, SchedulerParameters
 * option, XML element or attribute, QEMU option, or shell word. Strings are drawn both from all
 * of Unicode and from the characters each format treats specially.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlurmSchedulerSchema } from '../../../../src/hpc/backends/slurm/config-schema.js';
import { renderSlurmConf } from '../../../../src/hpc/backends/slurm/render-slurm-conf.js';
import { planVms } from '../../../../src/hpc/backends/libvirt/plan-vms.js';
import { renderDomainXml, renderQemuArgs, type VmBootOptions } from '../../../../src/hpc/backends/libvirt/render-domain-xml.js';
import { shellQuote } from '../../../../src/hpc/remote/quote.js';
import type { Cluster, Host, Topology } from '../../../../src/hpc/backends/types.js';

const SPECIAL = ['\n', '\r', '\t', '\u000b', '\u2028', '\u0000', '\u0085', '#', '"', "'", '\\', ',', '=', ' ', '<', '>', '&', ']]>', '$', '`', '(', ';', 'a', 'Z', '9', '/', '.', '-', 'é'];
const nasty = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 12 }));

const host = (name: string, role: Host['role'], address: string, gpus = 0): Host => ({ name, role, address, port: 22, user: 'root', cpus: 4, memoryMiB: 8192, gpus });
const clusterWith = (computeName = 'c1'): Cluster => ({ provider: 'netns', hosts: [host('head', 'head', '10.82.0.2'), host(computeName, 'compute', '10.82.0.3', 2)], data: {} });

/** Directive lines of slurm.conf (or gres.conf): not blank, not comments. */
const directives = (text: string): string[] => text.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
const keyOf = (line: string): string => line.slice(0, line.indexOf('='));

describe('slurm.conf and gres.conf', () => {
  const base = renderSlurmConf(clusterWith(), { Prolog: 'x', SchedulerParameters: { bf_interval: 'x' } }, { clusterName: 'bench1' });
  const baseKeys = directives(base.text).map(keyOf);

  it('a config value either stays one directive with its exact text, or is rejected at config validation too', () => {
    fc.assert(fc.property(nasty, nasty, (prolog, interval) => {
      const r = renderSlurmConf(clusterWith(), { Prolog: prolog, SchedulerParameters: { bf_interval: interval } }, { clusterName: 'bench1' });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      const schema = SlurmSchedulerSchema.safeParse({ kind: 'slurm', Prolog: prolog, SchedulerParameters: { bf_interval: interval } });
      if (errors.length) {
        expect(errors.every((d) => d.keyPath === 'scheduler.Prolog' || d.keyPath === 'scheduler.SchedulerParameters.bf_interval')).toBe(true);
        expect(schema.success).toBe(false);
        return;
      }
      expect(schema.success).toBe(true);
      const lines = directives(r.text);
      expect(lines.map(keyOf)).toEqual(baseKeys);
      const v = lines.find((l) => l.startsWith('Prolog='))?.slice('Prolog='.length) ?? '';
      expect(v.startsWith('"') ? v.slice(1, -1) : v).toBe(prolog);
      expect(lines.find((l) => l.startsWith('SchedulerParameters='))).toBe(`SchedulerParameters=bf_interval=${interval}`);
    }), { numRuns: 400 });
  });

  it('a host name either stays one NodeName word and one gres.conf line, or is an error', () => {
    fc.assert(fc.property(nasty, (name) => {
      const r = renderSlurmConf(clusterWith(name), {}, { clusterName: 'bench1' });
      if (r.diagnostics.some((d) => d.severity === 'error')) return;
      expect(directives(r.gresConf ?? '')).toEqual(['AutoDetect=off', `NodeName=${name} Name=gpu File=/etc/slurm/fake-gpu/gpu[0-1]`]);
      expect(directives(r.text).filter((l) => l.startsWith('NodeName='))).toHaveLength(1);
      expect(name).toMatch(/^[A-Za-z0-9][\w.:-]*$/);
    }), { numRuns: 300 });
  });
});

const small: Topology = { name: 'small', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 1, vcpus: 1, memory_gib: 1, gpus: 0 } };
const vm = planVms(small, { id: 'abc123', subnet: '10.78.0.0/24', scaleToHost: false, budget: { cpus: 64, memoryMiB: 65536 } }).vms[0]!;
const boot: VmBootOptions = {
  domainName: 'bench-abc123-head', accel: 'tcg', tcgCpuModel: 'qemu64', cpuMode: 'host-passthrough', pinVcpus: false, hugepages: false,
  kernel: '/img/vmlinuz', initrd: '/img/initrd.img', cmdline: 'root=/dev/vda', overlay: '/s/head.qcow2', seed: '/s/seed.img', bridge: 'bnb', consoleLog: '/s/console.log',
};
const FIELDS = ['domainName', 'tcgCpuModel', 'kernel', 'initrd', 'cmdline', 'overlay', 'seed', 'bridge', 'consoleLog'] as const;
/** Markup of a document: every `<`, and every `'` (attributes are single-quoted), in order. */
const markup = (xml: string): string => xml.replace(/[^<']/g, '');

describe('libvirt domain XML and the QEMU command line', () => {
  const baseMarkup = markup(renderDomainXml(vm, boot));
  const baseDrives = renderQemuArgs(vm, { ...boot, pidFile: '/p' }).filter((a) => a.startsWith('file=')).map((a) => a.replace(/,,/g, '').split(',').length);

  it('a string in any field adds no element or attribute, or is refused with its character named', () => {
    fc.assert(fc.property(fc.constantFrom(...FIELDS), nasty, (field, value) => {
      let xml: string;
      try {
        xml = renderDomainXml(vm, { ...boot, [field]: value });
      } catch (e) {
        expect(String(e)).toMatch(/cannot hold the control character U\+[0-9A-F]{4}/);
        return;
      }
      expect(markup(xml)).toBe(baseMarkup);
    }), { numRuns: 400 });
  });

  it('a path with commas stays one -drive file= value', () => {
    fc.assert(fc.property(nasty, (path) => {
      const args = renderQemuArgs(vm, { ...boot, overlay: path, seed: path, pidFile: '/p' });
      const drives = args.filter((a) => a.startsWith('file='));
      // QEMU splits options at single commas; ",," is a literal comma.
      expect(drives.map((a) => a.replace(/,,/g, '').split(',').length)).toEqual(baseDrives);
    }), { numRuns: 300 });
  });
});

describe('shell words', () => {
  it('every quoted string reaches a real sh as exactly one word with its bytes unchanged', () => {
    const words = fc.sample(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 12 })).map((s) => s.replace(/\0/g, '')), 300);
    const script = `printf '%s\\0' ${words.map(shellQuote).join(' ')}`;
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(words);
  });
});
