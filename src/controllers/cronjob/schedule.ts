// Cron schedules as CronJobs accept them (robfig/cron ParseStandard): five fields (minute hour
// day-of-month month day-of-week) with *, lists, ranges, steps and month/day names, or one of
// @yearly @annually @monthly @weekly @daily @midnight @hourly; evaluated in an IANA time zone.
// Day-of-month and day-of-week: when both are restricted, either may match (robfig's rule).

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

interface Field {
  values: Set<number>;
  star: boolean;
}

export interface Schedule {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseValue(s: string, names: string[] | undefined, nameBase: number): number {
  const lower = s.toLowerCase();
  if (names) {
    const i = names.indexOf(lower);
    if (i >= 0) return i + nameBase;
  }
  if (!/^\d+$/.test(s)) throw new ScheduleError(`failed to parse int from ${s}: strconv.Atoi: parsing "${s}": invalid syntax`);
  return Number(s);
}

function parseField(expr: string, min: number, max: number, names?: string[], nameBase = 0): Field {
  const values = new Set<number>();
  let star = false;
  for (const part of expr.split(',')) {
    const [rangePart, stepPart, extra] = part.split('/');
    if (extra !== undefined) throw new ScheduleError(`too many slashes: ${part}`);
    let lo: number;
    let hi: number;
    if (rangePart === '*' || rangePart === '?') {
      lo = min;
      hi = max;
      if (stepPart === undefined) star = true;
    } else {
      const [a, b, more] = rangePart.split('-');
      if (more !== undefined) throw new ScheduleError(`too many hyphens: ${rangePart}`);
      lo = parseValue(a, names, nameBase);
      hi = b === undefined ? (stepPart !== undefined ? max : lo) : parseValue(b, names, nameBase);
    }
    const step = stepPart === undefined ? 1 : Number(stepPart);
    if (!Number.isInteger(step) || step <= 0) throw new ScheduleError(`step of range should be a positive number: ${part}`);
    if (lo < min) throw new ScheduleError(`beginning of range (${lo}) below minimum (${min}): ${part}`);
    if (hi > max) throw new ScheduleError(`end of range (${hi}) above maximum (${max}): ${part}`);
    if (lo > hi) throw new ScheduleError(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

export function parseSchedule(spec: string): Schedule {
  const trimmed = spec.trim();
  if (trimmed.startsWith('TZ=') || trimmed.startsWith('CRON_TZ=')) throw new ScheduleError('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  const expanded = DESCRIPTORS[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith('@')) throw new ScheduleError(`unrecognized descriptor: ${trimmed}`);
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) throw new ScheduleError(`expected exactly 5 fields, found ${fields.length}: ${trimmed}`);
  const dow = parseField(fields[4], 0, 7, DAYS);
  // 7 is Sunday too.
  if (dow.values.delete(7)) dow.values.add(0);
  return {
    minute: parseField(fields[0], 0, 59),
    hour: parseField(fields[1], 0, 23),
    dom: parseField(fields[2], 1, 31),
    month: parseField(fields[3], 1, 12, MONTHS, 1),
    dow,
  };
}

interface Local {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** True when `tz` is an IANA zone this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function localTime(ms: number, tz: string | undefined): Local {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay() };
  }
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(tz, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: WEEKDAYS[parts.weekday] ?? 0 };
}

function dayMatches(s: Schedule, l: Local): boolean {
  const dom = s.dom.values.has(l.day);
  const dow = s.dow.values.has(l.weekday);
  if (s.dom.star || s.dow.star) return dom && dow;
  return dom || dow;
}

const MINUTE = 60_000;

/** The first scheduled time strictly after `after` (ms), within five years; undefined if none. */
export function nextTime(s: Schedule, after: number, tz?: string): number | undefined {
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const limit = after + 5 * 366 * 24 * 60 * MINUTE;
  while (t <= limit) {
    const l = localTime(t, tz);
    if (!s.month.values.has(l.month) || !dayMatches(s, l)) {
      t += (24 * 60 - (l.hour * 60 + l.minute)) * MINUTE;
      continue;
    }
    if (!s.hour.values.has(l.hour)) {
      t += (60 - l.minute) * MINUTE;
      continue;
    }
    if (!s.minute.values.has(l.minute)) {
      t += MINUTE;
      continue;
    }
    return t;
  }
  return undefined;
}

/**
 * mostRecentScheduleTime: the latest scheduled time in (earliest, now], and how many were missed
 * in that window (counting stops past 100, upstream's "too many missed start times").
 */
export function mostRecent(s: Schedule, earliest: number, now: number, tz?: string): { time?: number; missed: number } {
  let t = nextTime(s, earliest, tz);
  let last: number | undefined;
  let missed = 0;
  while (t !== undefined && t <= now) {
    last = t;
    missed++;
    if (missed > 100) {
      // Jump near `now` (ten average gaps back) and walk to the most recent one without counting.
      const gap = Math.max(MINUTE, (t - earliest) / missed);
      let probe = nextTime(s, Math.max(t, now - 10 * gap), tz);
      while (probe !== undefined && probe <= now) {
        last = probe;
        probe = nextTime(s, probe, tz);
      }
      break;
    }
    t = nextTime(s, t, tz);
  }
  return { time: last, missed };
}
