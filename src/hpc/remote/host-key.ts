/**
 * Host-key pinning helpers: the recorded key is an OpenSSH public key line
 * (`ssh-ed25519 AAAA... comment`); the server presents the raw key blob during the handshake.
 */
import { createHash } from 'node:crypto';

/** The parts of an OpenSSH public key line that identify the key. */
export interface RecordedHostKey {
  /** Key type as the line names it, e.g. `ssh-ed25519`. */
  type: string;
  /** The key blob, exactly the bytes the server sends. */
  blob: Buffer;
}

/** Parses `type base64 [comment]`; throws on a line that is not one, because pinning to garbage would refuse every host. */
export function parseHostKey(line: string): RecordedHostKey {
  const [type, b64] = line.trim().split(/\s+/);
  if (!type || !b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new Error(`not an OpenSSH public key line: ${JSON.stringify(line.slice(0, 40))}`);
  }
  return { type, blob: Buffer.from(b64, 'base64') };
}

/** `SHA256:<base64 without padding>`, the form `ssh-keygen -lf` and OpenSSH's warnings print. */
export function hostKeyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Host-key algorithms to offer so the server presents the recorded key rather than another
 * one it also holds (a host with RSA, ECDSA and Ed25519 keys would otherwise pick by our
 * preference order and look like a changed key).
 */
export function hostKeyAlgorithms(type: string): string[] {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [type];
}
