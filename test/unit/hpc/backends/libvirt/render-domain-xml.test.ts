import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planVms } from '../../../../../src/hpc/backends/libvirt/plan-vms.js';
import { renderDomainXml, renderQemuArgs, type VmBootOptions } from '../../../../../src/hpc/backends/libvirt/render-domain-xml.js';
import type { Topology } from '../../../../../src/hpc/backends/types.js';

const small: Topology = { name: 'small', head_nodes: { count: 1, vcpus: 4, memory_gib: 8 }, compute_nodes: { count: 4, vcpus: 8, memory_gib: 32, gpus: 1 } };
const boot: VmBootOptions = {
  domainName: 'bench-abc123-head', accel: 'tcg', tcgCpuModel: 'qemu64', cpuMode: 'host-passthrough', pinVcpus: false, hugepages: false,
  kernel: '/img/vmlinuz', initrd: '/img/initrd.img', cmdline: 'root=/dev/vda init=/sbin/bench-init', overlay: '/s/head.qcow2', seed: '/s/head-seed.img',
  bridge: 'bnbabc123', consoleLog: '/s/head.console.log',
};

describe('planVms', () => {
  it('gives each host of the topology a VM with its own address, MAC and tap', () => {
    const p = planVms(small, { id: 'abc123', subnet: '10.78.0.0/24', scaleToHost: false, budget: { cpus: 64, memoryMiB: 256 * 1024 } });
    expect(p.vms.map((v) => [v.name, v.role, v.address])).toEqual([
      ['head', 'head', '10.78.0.2'], ['c1', 'compute', '10.78.0.3'], ['c2', 'compute', '10.78.0.4'], ['c3', 'compute', '10.78.0.5'], ['c4', 'compute', '10.78.0.6'],
    ]);
    expect(new Set(p.vms.map((v) => v.mac)).size).toBe(5);
    expect(p.hostAddress).toBe('10.78.0.1');
    expect(p.vms.every((v) => v.tap.length <= 15)).toBe(true);
    expect(p.scaledNote).toBeUndefined();
  });
  it('scales to the host budget when asked and says so, keeping declared sizes for the scheduler', () => {
    const p = planVms(small, { id: 'abc123', subnet: '10.78.0.0/24', scaleToHost: true, budget: { cpus: 2, memoryMiB: 10240 } });
    expect(p.vms.map((v) => v.vcpus)).toEqual([1, 1, 1, 1, 1]);
    expect(p.vms[1]?.memoryMiB).toBe(2048);
    expect(p.vms[1]?.declaredCpus).toBe(8);
    expect(p.scaledNote).toMatch(/scaled to the host budget/);
  });
});

describe('renderDomainXml', () => {
  const vm = planVms(small, { id: 'abc123', subnet: '10.78.0.0/24', scaleToHost: false, budget: { cpus: 64, memoryMiB: 1 << 20 } }).vms[0];
  if (!vm) throw new Error('no vm');
  it('describes a direct-kernel-boot VM with overlay, read-only seed and bridged NIC', () => {
    const xml = renderDomainXml(vm, boot);
    expect(xml).toContain("<domain type='qemu'>");
    expect(xml).toContain('<memory unit=\'MiB\'>8192</memory>');
    expect(xml).toContain("<vcpu placement='static'>4</vcpu>");
    expect(xml).toContain('<kernel>/img/vmlinuz</kernel>');
    expect(xml).toContain("<source file='/s/head.qcow2'/>");
    expect(xml).toMatch(/head-seed\.img'\/>\s*<target dev='vdb' bus='virtio'\/>\s*<readonly\/>/);
    expect(xml).toContain("<source bridge='bnbabc123'/>");
    expect(xml).not.toContain("type='none'");
  });
  it('uses host-passthrough only with KVM and a named model under TCG', () => {
    expect(renderDomainXml(vm, boot)).toContain('<model fallback=\'allow\'>qemu64</model>');
    const kvm = renderDomainXml(vm, { ...boot, accel: 'kvm' });
    expect(kvm).toContain("<domain type='kvm'>");
    expect(kvm).toContain("<cpu mode='host-passthrough'");
  });
  it('gives the TCG CPU a random-number instruction (the guest entropy pool is ready at once), and leaves KVM CPUs alone', () => {
    expect(renderDomainXml(vm, boot)).toContain("<feature policy='require' name='rdrand'/></cpu>");
    expect(renderQemuArgs(vm, { ...boot, pidFile: '/p' })).toContain('qemu64,+rdrand');
    const kvm = { ...boot, accel: 'kvm' as const, cpuMode: 'Skylake-Server' };
    expect(renderDomainXml(vm, kvm)).not.toContain('rdrand');
    expect(renderQemuArgs(vm, { ...kvm, pidFile: '/p' })).toContain('Skylake-Server');
  });
  it('pins vCPUs and backs memory with hugepages when asked', () => {
    const xml = renderDomainXml(vm, { ...boot, pinVcpus: true, hugepages: true });
    expect(xml.match(/<vcpupin /g)).toHaveLength(4);
    expect(xml).toContain('<hugepages/>');
  });
  it('runs QEMU as root without relabelling files, as the QEMU-direct path does', () => {
    expect(renderDomainXml(vm, boot)).toContain("<seclabel type='static' model='dac' relabel='no'><label>+0:+0</label></seclabel>");
  });
  it('gives the QEMU-direct fallback the same machine', () => {
    const args = renderQemuArgs(vm, { ...boot, pidFile: '/s/head.pid' }).join(' ');
    expect(args).toContain('-smp 4 -m 8192');
    expect(args).toContain('-cpu qemu64');
    expect(args).toContain('-accel tcg');
    expect(args).toContain(`ifname=${vm.tap}`);
    expect(args).toContain('file=/s/head-seed.img,if=virtio,format=raw,readonly=on');
  });
});

// libvirt's own RELAX NG schema (libvirt0 ships it; virt-xml-validate is in libvirt-clients and
// needs xmllint from libxml2-utils) catches what string checks cannot: misplaced or misspelt
// elements that libvirt would reject at `virsh create`.
const validator = ['virt-xml-validate', 'xmllint'].every((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);
if (!validator && process.env['CI'] === 'true') throw new Error('virt-xml-validate and xmllint are needed under CI (libvirt-clients, libxml2-utils)');

describe.skipIf(!validator)('renderDomainXml against the libvirt domain schema', () => {
  const vm = planVms(small, { id: 'abc123', subnet: '10.78.0.0/24', scaleToHost: false, budget: { cpus: 64, memoryMiB: 1 << 20 } }).vms[1];
  if (!vm) throw new Error('no vm');
  const validate = (xml: string): { status: number | null; out: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-domain-xml-'));
    try {
      const file = join(dir, 'domain.xml');
      writeFileSync(file, xml);
      const r = spawnSync('virt-xml-validate', [file, 'domain'], { encoding: 'utf8' });
      return { status: r.status, out: r.stdout + r.stderr };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  it.each([
    ['TCG', boot],
    ['KVM host-passthrough', { ...boot, accel: 'kvm' as const }],
    ['KVM named model, pinned, hugepages', { ...boot, accel: 'kvm' as const, cpuMode: 'Skylake-Server', pinVcpus: true, hugepages: true }],
    ['paths that need escaping', { ...boot, cmdline: 'root=/dev/vda x="a&b" <y>', consoleLog: "/s/it's.log" }],
  ])('%s validates', (_, o) => {
    const r = validate(renderDomainXml(vm, o));
    expect(r.out).toContain('validates');
    expect(r.status).toBe(0);
  });
  it('rejects what libvirt would reject (the check can fail)', () => {
    const r = validate(renderDomainXml(vm, boot).replace('<on_crash>', '<on_crash_typo>').replace('</on_crash>', '</on_crash_typo>'));
    expect(r.status).not.toBe(0);
  });
});
