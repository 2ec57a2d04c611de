/**
 * Host keys of existing machines, read from an OpenSSH known_hosts file: plain and hashed
 * (`|1|salt|hmac`) host patterns, `[host]:port` for other ports, negations, and the
 * `@revoked` / `@cert-authority` markers. The ssh provider never accepts a key it has not read
 * here or been given in config: there is no trust-on-first-use.
 */
import { createHmac } from 'node:crypto';

/** One usable key line for a host: `type base64`. */
export interface KnownKey {
  line: string;
  /** Where it was read, for messages (`~/.ssh/known_hosts:12`). */
  source: string;
}

export interface KnownHostsLookup {
  keys: KnownKey[];
  /** Keys marked @revoked for this host: a server presenting one must be refused. */
  revoked: string[];
}

/** The name known_hosts files use for a host: bare on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function matchesHashed(pattern: string, name: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Whether a comma-separated host pattern list matches `name`; a matching negation wins. */
function matchesPatterns(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return matchesHashed(patterns, name);
  let hit = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    const glob = negated ? p.slice(1) : p;
    if (!globToRegExp(glob).test(name)) continue;
    if (negated) return false;
    hit = true;
  }
  return hit;
}

/** Finds every key for `host`:`port` in the text of a known_hosts file. */
export function lookupKnownHosts(text: string, host: string, port: number, file: string): KnownHostsLookup {
  const name = knownHostsName(host, port);
  const out: KnownHostsLookup = { keys: [], revoked: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    let fields = line.split(/\s+/);
    let marker = '';
    if (fields[0]?.startsWith('@')) {
      marker = fields[0];
      fields = fields.slice(1);
    }
    const [patterns, type, b64] = fields;
    if (!patterns || !type || !b64 || !matchesPatterns(patterns, name)) return;
    if (marker === '@revoked') out.revoked.push(`${type} ${b64}`);
    else if (marker === '') out.keys.push({ line: `${type} ${b64}`, source: `${file}:${i + 1}` });
  });
  return out;
}
