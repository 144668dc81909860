// controller.ComputeHash: a short stable hash of a pod template (plus the collision count), encoded
// with rand.SafeEncodeString's alphabet so it never spells words. Upstream hashes a spew dump of
// the Go struct; here the canonical JSON stands in, so values differ from upstream's but keep its
// properties (stable, changes when the template changes, collisionCount perturbs it).

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** FNV-1a, 32 bits. */
export function fnv32a(s: string, seed = 0x811c9dc5): number {
  let h = seed;
  const bytes = Buffer.from(s, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function safeEncode(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length];
  return out;
}

export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(canonical(template));
  if (collisionCount !== undefined && collisionCount !== null) {
    // Upstream writes the collision count's little-endian bytes into the same hasher.
    const buf = Buffer.alloc(4);
    buf.writeUInt32LE(collisionCount >>> 0);
    for (const b of buf) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return safeEncode(String(h >>> 0));
}

export { canonical as canonicalJson };
