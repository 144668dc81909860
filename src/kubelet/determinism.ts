// Deterministic pseudo-randomness for jitter and generated identifiers: a value is a hash of the
// simulator's seed and names (never of call order), so a run replays exactly under a FakeClock.
import { createHash } from 'node:crypto';

/** A number in [0, 1) derived from the seed and the parts. */
export function unitHash(seed: number, ...parts: string[]): number {
  const h = createHash('sha256').update(`${seed}\u0000${parts.join('\u0000')}`).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

/** `bytes` bytes of hex derived from the seed and the parts. */
export function hexHash(seed: number, bytes: number, ...parts: string[]): string {
  let out = '';
  let i = 0;
  while (out.length < bytes * 2) out += createHash('sha256').update(`${seed}\u0000${i++}\u0000${parts.join('\u0000')}`).digest('hex');
  return out.slice(0, bytes * 2);
}

/** Go's time.Duration String() for whole seconds and milliseconds: 10s, 1m20s, 5m0s, 500ms. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const sec = Number.isInteger(s) ? String(s) : String(Number(s.toFixed(9)));
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime serialises (Lease renewTime). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function parseTime(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
