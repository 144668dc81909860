// Formatting helpers of upstream's printers: duration.HumanDuration, translateTimestampSince,
// labels.FormatLabels, layoutContainerCells, and safe readers for plain JSON objects.
import { canonicalQuantity, parseQuantity } from '../../util/quantity.js';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a path of keys, or undefined. */
export function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const p of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}
export const str = (o: unknown, ...path: string[]): string => {
  const v = get(o, ...path);
  return typeof v === 'string' ? v : '';
};
export const num = (o: unknown, ...path: string[]): number => {
  const v = get(o, ...path);
  return typeof v === 'number' ? v : 0;
};
export const list = (o: unknown, ...path: string[]): Obj[] => {
  const v = get(o, ...path);
  return Array.isArray(v) ? v.filter(isObj) : [];
};
export const has = (o: unknown, ...path: string[]): boolean => {
  const v = get(o, ...path);
  return v !== undefined && v !== null;
};

/**
 * How far the durations printed while computing a row may move before one of them prints
 * differently: milliseconds before and after the current value. Set by trackDurations.
 */
let slack: { before: number; after: number } | undefined;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The step in which humanDuration's text changes at `ms` (each band's edge is a multiple of the band below's step). */
function durationStep(ms: number): number {
  if (ms < 10 * MINUTE) return SECOND;
  if (ms < 8 * HOUR) return MINUTE;
  if (ms < 8 * DAY) return HOUR;
  if (ms < 8 * 365 * DAY) return DAY;
  return 365 * DAY;
}

function noteDuration(ms: number): void {
  if (!slack) return;
  if (!(ms >= 0) || !Number.isFinite(ms)) {
    slack.before = slack.after = 0;
    return;
  }
  const step = durationStep(ms);
  const low = Math.floor(ms / step) * step;
  slack.before = Math.min(slack.before, ms - low);
  slack.after = Math.min(slack.after, low + step - ms);
}

/**
 * Runs `fn` and reports for how long around now every duration it printed with humanDuration
 * keeps its text: the result may be reused while the clock stays in [now - before, now + after).
 */
export function trackDurations<T>(fn: () => T): { value: T; before: number; after: number } {
  const outer = slack;
  const mine = (slack = { before: Infinity, after: Infinity });
  try {
    const value = fn();
    return { value, before: mine.before, after: mine.after };
  } finally {
    slack = outer;
    if (outer) {
      outer.before = Math.min(outer.before, mine.before);
      outer.after = Math.min(outer.after, mine.after);
    }
  }
}

/** duration.HumanDuration: ~2-3 significant figures, e.g. 45s, 5m3s, 3h20m, 2d4h, 1y20d. */
export function humanDuration(ms: number): string {
  noteDuration(ms);
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3600000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Milliseconds of an RFC 3339 timestamp, or undefined when unset or unparsable. */
export function timeOf(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** translateTimestampSince: `<unknown>` for a zero time. */
export function since(ts: unknown, now: number): string {
  const t = timeOf(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(m: unknown): string {
  if (!isObj(m)) return '<none>';
  const keys = Object.keys(m).sort();
  return keys.length ? keys.map((k) => `${k}=${String(m[k])}`).join(',') : '<none>';
}

/** layoutContainerCells: names and images, comma-joined. */
export function containerCells(containers: Obj[]): [string, string] {
  return [containers.map((c) => str(c, 'name')).join(','), containers.map((c) => str(c, 'image')).join(',')];
}

/** Quantity.String(): the canonical form; '0' for an unset quantity. */
export function quantityString(v: unknown): string {
  if (v === undefined || v === null) return '0';
  const q = parseQuantity(String(v));
  return q ? canonicalQuantity(q) : String(v);
}

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
export function accessModes(modes: unknown): string {
  const list = Array.isArray(modes) ? modes.map(String) : [];
  const out: string[] = [];
  for (const [mode, short] of [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']]) {
    if (list.includes(mode)) out.push(short);
  }
  return out.join(',');
}

/** A condition's status by type, or ''. */
export function conditionStatus(o: unknown, type: string, ...path: string[]): string {
  const c = list(o, ...(path.length ? path : ['status', 'conditions'])).find((x) => x.type === type);
  return c ? str(c, 'status') : '';
}
