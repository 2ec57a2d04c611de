/**
 * Pure renderers for one VM: the libvirt domain XML and the equivalent QEMU command line, so the
 * libvirt path and the QEMU-direct fallback boot the same machine.
 */
import type { Accel } from './detect-accel.js';
import type { VmPlan } from './plan-vms.js';

/** Everything about a VM that is not in its plan. */
export interface VmBootOptions {
  domainName: string;
  accel: Accel;
  /** CPU model under TCG (host-passthrough needs KVM). */
  tcgCpuModel: string;
  cpuMode: string;
  pinVcpus: boolean;
  hugepages: boolean;
  kernel: string;
  initrd: string;
  cmdline: string;
  overlay: string;
  seed: string;
  bridge: string;
  consoleLog: string;
}

/**
 * Escapes for element text and for attributes, which are single-quoted here. XML 1.0 cannot hold
 * most control characters at all (not even as character references): those are rejected, naming
 * the value, rather than written into a document libvirt would refuse or misread.
 */
function esc(s: string): string {
  const bad = [...s].map((ch) => ch.codePointAt(0) ?? 0).find((c) => (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff);
  if (bad !== undefined) throw new Error(`libvirt domain XML cannot hold the control character U+${bad.toString(16).padStart(4, '0').toUpperCase()} in ${JSON.stringify(s)}`);
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * CPU features added under TCG. RDRAND: the guest kernel trusts the CPU's generator, so its
 * entropy pool is ready at once instead of about 1.5 s into user space, which sshd waits for.
 */
export const TCG_CPU_FEATURES = ['rdrand'];

function cpuXml(vm: VmPlan, o: VmBootOptions): string {
  if (o.accel === 'kvm' && o.cpuMode === 'host-passthrough') return `  <cpu mode='host-passthrough' check='none'/>`;
  const model = o.accel === 'kvm' ? o.cpuMode : o.tcgCpuModel;
  const features = o.accel === 'kvm' ? '' : TCG_CPU_FEATURES.map((f) => `<feature policy='require' name='${f}'/>`).join('');
  return `  <cpu mode='custom' match='exact' check='none'><model fallback='allow'>${esc(model)}</model><topology sockets='1' dies='1' cores='${vm.vcpus}' threads='1'/>${features}</cpu>`;
}

/**
 * The libvirt domain for one VM (type qemu under TCG, kvm otherwise). No USB controller, which
 * libvirt adds unless told, so the machine matches the QEMU-direct `-nodefaults` one.
 *
 * QEMU runs as root with no relabelling (the static DAC label), as on the QEMU-direct path. By
 * default libvirt would run it as libvirt-qemu and chown every file the domain names — including
 * the shared base image under cache/images, which it does not chown back — so a libvirt run would
 * change the owner of files other runs and tools use. bench runs as root anyway (bridges, taps);
 * the host's qemu.conf is not changed for this. MAC drivers (AppArmor, SELinux), where the
 * host enables them, are left to their own settings.
 */
export function renderDomainXml(vm: VmPlan, o: VmBootOptions): string {
  const pins = o.pinVcpus
    ? `  <cputune>\n${Array.from({ length: vm.vcpus }, (_, i) => `    <vcpupin vcpu='${i}' cpuset='${vm.pinBase + i}'/>`).join('\n')}\n  </cputune>\n`
    : '';
  const huge = o.hugepages ? `  <memoryBacking><hugepages/></memoryBacking>\n` : '';
  return `<domain type='${o.accel === 'kvm' ? 'kvm' : 'qemu'}'>
  <name>${esc(o.domainName)}</name>
  <memory unit='MiB'>${vm.memoryMiB}</memory>
  <vcpu placement='static'>${vm.vcpus}</vcpu>
${pins}${huge}  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${esc(o.kernel)}</kernel>
    <initrd>${esc(o.initrd)}</initrd>
    <cmdline>${esc(o.cmdline)}</cmdline>
  </os>
  <features><acpi/></features>
${cpuXml(vm, o)}
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='unsafe'/>
      <source file='${esc(o.overlay)}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='${esc(o.seed)}'/>
      <target dev='vdb' bus='virtio'/>
      <readonly/>
    </disk>
    <interface type='bridge'>
      <source bridge='${esc(o.bridge)}'/>
      <target dev='${esc(vm.tap)}'/>
      <mac address='${vm.mac}'/>
      <model type='virtio'/>
    </interface>
    <serial type='file'>
      <source path='${esc(o.consoleLog)}'/>
      <target port='0'/>
    </serial>
    <console type='file'>
      <source path='${esc(o.consoleLog)}'/>
      <target type='serial' port='0'/>
    </console>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
  <seclabel type='static' model='dac' relabel='no'><label>+0:+0</label></seclabel>
</domain>
`;
}

/** A value inside a QEMU `-opt a=x,b=y` list: QEMU reads ",," as a literal comma, so a path cannot add options. */
function qemuOpt(s: string): string {
  return s.replace(/,/g, ',,');
}

/** The QEMU-direct command line equivalent to `renderDomainXml` (tap created beforehand). */
export function renderQemuArgs(vm: VmPlan, o: VmBootOptions & { pidFile: string }): string[] {
  const cpu = o.accel === 'kvm' ? (o.cpuMode === 'host-passthrough' ? 'host' : o.cpuMode) : [o.tcgCpuModel, ...TCG_CPU_FEATURES.map((f) => `+${f}`)].join(',');
  return [
    '-name', `${qemuOpt(o.domainName)},process=${qemuOpt(o.domainName)}`,
    '-machine', 'pc', '-accel', o.accel === 'tcg' ? 'tcg,thread=multi' : 'kvm',
    '-cpu', cpu, '-smp', String(vm.vcpus), '-m', String(vm.memoryMiB),
    ...(o.hugepages ? ['-mem-path', '/dev/hugepages'] : []),
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    '-serial', `file:${o.consoleLog}`,
    '-kernel', o.kernel, '-initrd', o.initrd, '-append', o.cmdline,
    '-drive', `file=${qemuOpt(o.overlay)},if=virtio,format=qcow2,cache=unsafe`,
    '-drive', `file=${qemuOpt(o.seed)},if=virtio,format=raw,readonly=on`,
    '-netdev', `tap,id=n0,ifname=${qemuOpt(vm.tap)},script=no,downscript=no`,
    '-device', `virtio-net-pci,netdev=n0,mac=${vm.mac}`,
    '-daemonize', '-pidfile', o.pidFile,
  ];
}
