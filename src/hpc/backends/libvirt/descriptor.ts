/** Provider `libvirt`: QEMU VMs (through libvirtd or QEMU directly) booted from an image built here. */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { defineProvider } from '../descriptor.js';
import { opt, positive, subnet } from '../schema-fields.js';

export const LibvirtProviderSchema = closedObject({
  // Only the system daemon: the provider's bridges and taps, and libvirt's PID files under /run,
  // need it. Only direct kernel boot (kernel and initrd from the image) is built.
  kind: z.literal('libvirt'), uri: z.literal('qemu:///system'), accel: z.enum(['auto', 'kvm', 'tcg']), cpu_mode: opt(z.string()),
  pin_vcpus: opt(z.boolean()), hugepages: opt(z.boolean()), boot: opt(z.literal('direct-kernel')),
  scale_to_host: opt(z.boolean()), subnet: opt(subnet), time_scale: opt(positive),
  runtime: opt(z.enum(['auto', 'libvirt', 'qemu'])), tcg_cpu_model: opt(z.string()), state_dir: opt(z.string()), ready_timeout_s: opt(positive),
});

export const libvirtDescriptor = defineProvider({
  layer: 'provider',
  kind: 'libvirt',
  summary: 'QEMU VMs through libvirt or QEMU directly',
  configSchema: LibvirtProviderSchema,
  load: async () => (await import('./libvirt-provider.js')).libvirtProvider,
});
