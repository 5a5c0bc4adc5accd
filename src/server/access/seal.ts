/**
 * Sealed cookie values: AES-256-GCM (authenticated encryption, so a changed byte is refused, and the browser
 * cannot read what it carries), one key per configured secret derived with HKDF-SHA-256. The first key seals;
 * every key opens, so a new key can be put first while cookies sealed with the old one still work (rotation).
 *
 * Format: `v1.<key id>.<iv>.<ciphertext+tag>`, base64url. The key id (a hash of the derived key, not the secret)
 * picks the key; the purpose (cookie name) is bound as associated data, so a value sealed for one cookie does
 * not open as another.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

interface Key {
  id: string;
  key: Buffer;
}

export interface Sealer {
  seal(purpose: string, value: unknown): string;
  /** The value, or null for anything not sealed by one of our keys for this purpose (never throws). */
  open(purpose: string, sealed: string): { value: unknown; byCurrentKey: boolean } | null;
}

const INFO = 'atlas-export-dashboard cookie v1';
const MAX_SEALED = 3800;

export function createSealer(secrets: readonly string[]): Sealer {
  if (secrets.length === 0) throw new Error('createSealer needs at least one secret');
  const keys: Key[] = secrets.map((s) => {
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(s, 'utf8'), Buffer.alloc(0), INFO, 32));
    return { key, id: createHash('sha256').update(key).digest('base64url').slice(0, 8) };
  });
  const current = keys[0]!;

  return {
    seal(purpose, value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(`${purpose}.${current.id}`));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `v1.${current.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(purpose, sealed) {
      if (sealed.length > MAX_SEALED) return null;
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== 'v1') return null;
      const [, id, ivText, bodyText] = parts as [string, string, string, string];
      const key = keys.find((k) => k.id === id);
      if (!key || !/^[A-Za-z0-9_-]{16}$/.test(ivText) || !/^[A-Za-z0-9_-]{23,}$/.test(bodyText)) return null;
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (body.length < 17) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: 16 });
        decipher.setAAD(Buffer.from(`${purpose}.${key.id}`));
        decipher.setAuthTag(body.subarray(body.length - 16));
        const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
        return { value: JSON.parse(plain.toString('utf8')) as unknown, byCurrentKey: key === current };
      } catch {
        return null;
      }
    },
  };
}
