// Small helpers over plain JSON objects and their metadata.
import { randomInt } from 'node:crypto';
import type { ApiObject } from './types.js';

export type Meta = Record<string, unknown>;

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The object's metadata, created when absent. */
export function meta(obj: ApiObject): Meta {
  if (!isObject(obj.metadata)) obj.metadata = {};
  return obj.metadata as Meta;
}

export function metaString(obj: Readonly<ApiObject>, field: string): string {
  const m = obj.metadata;
  const v = isObject(m) ? m[field] : undefined;
  return typeof v === 'string' ? v : '';
}

export function finalizersOf(obj: Readonly<ApiObject>): string[] {
  const m = obj.metadata;
  const f = isObject(m) ? m.finalizers : undefined;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

export function deepClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Semantic equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function rfc3339(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  // Writes within one second share the text.
  if (seconds !== lastSecond.seconds) lastSecond = { seconds, text: new Date(seconds * 1000).toISOString().replace('.000Z', 'Z') };
  return lastSecond.text;
}

let lastSecond = { seconds: NaN, text: '' };

// apiserver/pkg/storage/names/generate.go + util/rand: 5 characters from this alphabet
// (no vowels, no confusable digits), appended to generateName cut to fit 63 characters.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_NAME_LENGTH = 63 - 5;

export function generateName(base: string): string {
  const b = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  return b + suffix;
}

/** The manager name upstream derives from a User-Agent: its part before the first '/'. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return '';
  return userAgent.split('/')[0];
}
