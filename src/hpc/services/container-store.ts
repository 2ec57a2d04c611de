/**
 * bench's own podman store: images, containers and podman's state under one folder (by default
 * `<project>/cache/podman`), never the system's `/var/lib/containers`, so tests and runs do not
 * touch a system podman and removing the folder removes everything. Every podman command bench
 * runs (the image import here, `podman run` in job scripts on the nodes, cleanup) reads the two
 * config files written here through CONTAINERS_CONF / CONTAINERS_STORAGE_CONF.
 *
 * Several netns hosts share this machine's filesystem, so one store serves all of them at once.
 * containers/storage locks its layer and image stores with file locks in the store itself, and
 * `lock_type = "file"` puts libpod's per-container locks in files under `tmp/locks` too, instead
 * of the default shared-memory segment `/dev/shm/libpod_lock`, which a system podman with another
 * store would share. conmon gets the same two variables (`conmon_env_vars`), so the cleanup
 * podman it runs when a container exits uses this store and these locks as well.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

export interface ContainerStore {
  /** Absolute folder holding everything. */
  root: string;
  containersConf: string;
  storageConf: string;
}

export function containerStore(root: string): ContainerStore {
  if (!isAbsolute(root)) throw new Error(`podman store folder must be absolute: ${root}`);
  // The paths go into TOML strings and job scripts: keep them to characters neither reads specially.
  if (!/^[A-Za-z0-9/._+-]+$/.test(root)) throw new Error(`podman store folder has characters bench does not put in a config file: ${root}`);
  return { root, containersConf: join(root, 'containers.conf'), storageConf: join(root, 'storage.conf') };
}

/** Environment every podman command on this store runs with. */
export function storeEnv(s: ContainerStore): Record<string, string> {
  return { CONTAINERS_CONF: s.containersConf, CONTAINERS_STORAGE_CONF: s.storageConf };
}

/**
 * containers.conf: no systemd here (cgroupfs, events to a file), runc (crun 1.8 refuses this
 * machine's hybrid cgroup v1/v2 mounts), file locks, temporary files and network configs inside
 * the store.
 */
export function containersConfText(s: ContainerStore): string {
  const env = Object.entries(storeEnv(s)).map(([k, v]) => `"${k}=${v}"`);
  return [
    '# written by bench: its own podman store (see src/hpc/services/container-store.ts)',
    '[containers]', 'log_driver = "k8s-file"', '',
    '[engine]', 'runtime = "runc"', 'cgroup_manager = "cgroupfs"', 'events_logger = "file"',
    `events_logfile_path = "${s.root}/events.log"`, 'lock_type = "file"',
    `tmp_dir = "${s.root}/tmp"`, `image_copy_tmp_dir = "${s.root}/tmp"`,
    `conmon_env_vars = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ${env.join(', ')}]`, '',
    '[network]', `network_config_dir = "${s.root}/net"`, '',
  ].join('\n');
}

export function storageConfText(s: ContainerStore): string {
  return ['[storage]', 'driver = "overlay"', `graphroot = "${s.root}/storage"`, `runroot = "${s.root}/run"`, ''].join('\n');
}

/**
 * Writes the two config files unless they already say the same: each by rename of a file no other
 * writer uses (two image tasks of one run prepare the store at once), so a podman starting
 * meanwhile reads a whole one.
 */
export async function prepareStore(s: ContainerStore): Promise<void> {
  await mkdir(join(s.root, 'tmp'), { recursive: true });
  await mkdir(join(s.root, 'net'), { recursive: true });
  for (const [file, text] of [[s.containersConf, containersConfText(s)], [s.storageConf, storageConfText(s)]] as const) {
    if ((await readFile(file, 'utf8').catch(() => '')) === text) continue;
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, text);
    await rename(tmp, file);
  }
}
