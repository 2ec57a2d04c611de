/**
 * Teardown from the JSON record alone, safe on a half-created cluster and when run twice. Hosts'
 * processes are found by network namespace, not by PID list: daemons started later over SSH
 * (slurmd, slurmctld, munged, a user's `setsid sleep &`) live there too and were never recorded.
 */
import { execa } from 'execa';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { hostPaths, type NetnsState } from './netns-state.js';

/** After this long SIGTERM becomes SIGKILL. */
const GRACE_MS = 2000;
/** After this long a process still there is reported, not waited for (e.g. stuck in D state). */
const GIVE_UP_MS = 8000;

function procPids(): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((p) => p !== process.pid);
}

function netLink(pid: number): string | undefined {
  // Zombies and processes gone meanwhile have no readable link: they hold no resources.
  try { return readlinkSync(`/proc/${pid}/ns/net`); } catch { return undefined; }
}

function cmdline(pid: number): string {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return ''; }
}

/**
 * Command-line fragments that only this cluster's host processes carry: `nsenter` before it
 * enters the namespace, and each host's sshd listener (its config path).
 */
function markers(state: NetnsState): string[] {
  return state.hosts.flatMap((h) => [`--net=/run/netns/${h.netns} `, `-f ${hostPaths(h).sshdConfig} `]);
}

function hasMarker(pid: number, marks: string[]): boolean {
  const cmd = `${cmdline(pid)} `;
  return marks.some((m) => cmd.includes(m));
}

/**
 * The `net:[inode]` links of the cluster's namespaces. The name under /run/netns is the usual
 * source; a host's sshd also identifies its namespace when the name was already removed.
 * Recorded inode numbers are not used: the kernel reuses them for new namespaces, so a stale one
 * could point at someone else's processes. The machine's own namespace and ours are never
 * included, whatever a command line says.
 */
function clusterNetLinks(state: NetnsState, pids: number[], marks: string[]): Set<string> {
  const links = new Set<string>();
  for (const h of state.hosts) {
    try { links.add(`net:[${statSync(`/run/netns/${h.netns}`).ino}]`); } catch { /* not created, or deleted */ }
  }
  for (const pid of pids) {
    const l = hasMarker(pid, marks) ? netLink(pid) : undefined;
    if (l) links.add(l);
  }
  for (const own of [netLink(1), netLink(process.pid)]) if (own) links.delete(own);
  return links;
}

/**
 * The cluster's live processes: everything inside its namespaces, plus an `nsenter` killed with
 * its parent before it entered the namespace.
 */
export function clusterPids(state: NetnsState): number[] {
  const pids = procPids();
  const marks = markers(state);
  const links = clusterNetLinks(state, pids, marks);
  return pids.filter((pid) => {
    const l = netLink(pid);
    return l !== undefined && (links.has(l) || hasMarker(pid, marks));
  });
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* already gone */ }
}

/**
 * SIGTERM to every process of the cluster, SIGKILL after the grace period, rescanning each round
 * because a dying daemon may still fork. Returns the PIDs still there at the end.
 */
export async function killClusterProcesses(state: NetnsState): Promise<number[]> {
  const start = Date.now();
  for (;;) {
    const pids = clusterPids(state);
    const elapsed = Date.now() - start;
    if (pids.length === 0 || elapsed > GIVE_UP_MS) return pids;
    for (const pid of pids) signal(pid, elapsed < GRACE_MS ? 'SIGTERM' : 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One `ip` for many deletions; `-force` goes on past absent devices, the normal case on a second call. */
async function ipDeleteAll(lines: string[]): Promise<void> {
  if (lines.length) await execa('ip', ['-force', '-batch', '-'], { input: `${lines.join('\n')}\n`, reject: false });
}

/** Our veths by name, for ones created before a crash but past what the record shows. */
async function strayVeths(id: string): Promise<string[]> {
  const r = await execa('ip', ['-o', 'link', 'show'], { reject: false });
  return [...r.stdout.matchAll(new RegExp(`^\\d+: (bnv${id}\\d+)[:@]`, 'gm'))].map((m) => m[1] ?? '').filter(Boolean);
}

/**
 * Destroys everything a cluster record names: processes, namespaces, veths, bridge, directory,
 * state file. Returns what could not be removed (processes that would not die), empty when clean.
 */
export async function destroyNetnsCluster(state: NetnsState): Promise<string[]> {
  const survivors = await killClusterProcesses(state);
  // Veths first: deleting one end removes the pair at once, while a deleted namespace frees its
  // devices later, in the background, so they would still show right after `down`.
  const veths = new Set([...state.hosts.map((h) => h.veth), ...await strayVeths(state.id)]);
  await ipDeleteAll([...veths].map((v) => `link del ${v}`));
  await ipDeleteAll([...state.hosts.map((h) => `netns del ${h.netns}`), `link del ${state.bridge}`]);
  await rm(state.dir, { recursive: true, force: true });
  await rm(state.stateFile, { force: true });
  return survivors.map((pid) => `process ${pid} (${cmdline(pid).trim() || '?'}) did not exit`);
}
