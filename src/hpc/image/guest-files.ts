/**
 * Files written into the Debian root filesystem. The guest learns everything per-VM (hostname,
 * address, /etc/hosts, SSH host key, authorized key) from a small read-only seed disk, so the
 * image itself holds no runtime values and is shared by every VM through overlays.
 */

/** Applies the seed disk (/dev/vdb); shared by the minimal init and the systemd unit. */
export const SEED_SCRIPT = `#!/bin/sh
# Per-VM configuration comes from the seed disk so the shared image carries no runtime values.
set -e
modprobe virtio_blk 2>/dev/null || true
modprobe virtio_net 2>/dev/null || true
mkdir -p /run/bench-seed
mount -o ro /dev/vdb /run/bench-seed
. /run/bench-seed/env
hostname "$BENCH_HOSTNAME"
echo "$BENCH_HOSTNAME" > /etc/hostname
cp /run/bench-seed/hosts /etc/hosts
ip link set lo up
ip link set eth0 up
ip addr add "$BENCH_ADDRESS" dev eth0
install -m 600 /run/bench-seed/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key
install -m 644 /run/bench-seed/ssh_host_ed25519_key.pub /etc/ssh/ssh_host_ed25519_key.pub
mkdir -p -m 700 /root/.ssh
install -m 600 /run/bench-seed/authorized_keys /root/.ssh/authorized_keys
if [ -f /run/bench-seed/munge.key ]; then install -m 400 -o munge -g munge /run/bench-seed/munge.key /etc/munge/munge.key; fi
umount /run/bench-seed
`;

/** PID 1 for the minimal boot: mount, apply the seed, start sshd, then only reap. */
export const MINIMAL_INIT = `#!/bin/sh
# Only what SSH needs; scheduler daemons are started later over SSH, so nothing else runs here.
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -o remount,rw /
# SLURM 22.05 detects the cgroup version from /sys/fs/cgroup: a tmpfs with a named v1 hierarchy
# at systemd/ reads as v1, whose plugin needs nothing more; v2 would need systemd's D-Bus to
# create slurmstepd's scope, and without any mount slurmd refuses to start.
mount -t tmpfs -o mode=0755 cgroup /sys/fs/cgroup
mkdir -p /sys/fs/cgroup/systemd
mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
# What the scheduler daemons expect of a booted host; they are started later over SSH.
mkdir -p /run/sshd /run/munge /run/lock /var/run /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
chmod 1777 /run/lock
chown munge:munge /run/munge 2>/dev/null || true
/usr/local/sbin/bench-seed > /dev/console 2>&1
/usr/sbin/sshd -E /run/sshd.log
echo "bench: sshd started" > /dev/console
trap '' INT
trap 'mount -o remount,ro /; echo o > /proc/sysrq-trigger' TERM
while :; do sleep 3600 & wait $!; done
`;

/** systemd variant: the seed is applied before sshd by a oneshot unit. */
export const SEED_UNIT = `[Unit]
Description=Apply the bench seed disk
DefaultDependencies=no
Before=ssh.service network.target
After=local-fs.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/bench-seed
RemainAfterExit=yes

[Install]
WantedBy=multi-user.target
`;

/** /init of the initramfs (initramfs.ts): load the modules, mount the root, switch to it. */
export const INITRAMFS_INIT = `#!/bin/busybox sh
# Only what reaching the root needs; the root's own init does the rest.
bb=/bin/busybox
$bb mount -t devtmpfs devtmpfs /dev
$bb mount -t proc proc /proc
for m in /modules/*.ko; do $bb insmod "$m" || echo "initramfs: insmod $m failed" > /dev/console; done
root=/dev/vda init=/sbin/init
for a in $($bb cat /proc/cmdline); do
  case "$a" in root=*) root=\${a#root=};; init=*) init=\${a#init=};; esac
done
# The disk appears when virtio_blk probes it, normally before insmod returns; allow 10 s.
i=0
while [ ! -b "$root" ] && [ $i -lt 1000 ]; do $bb usleep 10000; i=$((i+1)); done
if ! $bb mount -t ext4 -o rw "$root" /root; then
  # Nobody can log in to fix it: power off so the failure shows at once, with this line in the console log.
  echo "initramfs: cannot mount $root" > /dev/console
  $bb poweroff -f
fi
$bb umount /proc
$bb umount /dev
exec $bb switch_root /root "$init"
`;
