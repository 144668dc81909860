// Go's text forms of time values, as the JSON encodings of metav1.Time, MicroTime and Duration
// produce them (time.RFC3339 after UTC(), RFC3339Micro, time.Duration.String()).

const SECOND = 1_000_000_000n;

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

/** Seconds since the epoch to "2006-01-02T15:04:05" in UTC (no zone suffix). */
function dateTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) throw new RangeError(`time out of range: ${seconds}s`);
  const year = d.getUTCFullYear();
  return (
    `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}

/** metav1.Time's JSON form: RFC 3339 in UTC, whole seconds (fractions are truncated). */
export function formatRfc3339(seconds: number): string {
  return `${dateTime(seconds)}Z`;
}

/** metav1.MicroTime's JSON form: RFC 3339 in UTC with exactly six fractional digits. */
export function formatRfc3339Micro(seconds: number, nanos: number): string {
  return `${dateTime(seconds)}.${pad(Math.floor(nanos / 1000), 6)}Z`;
}

/** Writes v / 10^prec with trailing zeros (and a bare decimal point) dropped, like Go's fmtFrac. */
function frac(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print ||= digit !== 0n;
    if (print) digits = `${digit}${digits}`;
    v /= 10n;
  }
  return [print ? `.${digits}` : '', v];
}

/** time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function formatGoDuration(nanoseconds: bigint): string {
  const neg = nanoseconds < 0n;
  let u = neg ? -nanoseconds : nanoseconds;
  let out: string;
  if (u < SECOND) {
    if (u === 0n) return '0s';
    let unit: string;
    let prec: number;
    if (u < 1000n) [unit, prec] = ['ns', 0];
    else if (u < 1_000_000n) [unit, prec] = ['µs', 3];
    else [unit, prec] = ['ms', 6];
    const [f, whole] = frac(u, prec);
    out = `${whole}${f}${unit}`;
  } else {
    const [f, secs] = frac(u, 9);
    u = secs;
    out = `${u % 60n}${f}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}
