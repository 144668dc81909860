// intstr.GetScaledValueFromIntOrPercent and the rolling-update parameters built on it.

export class IntOrPercentError extends Error {
  override name = 'IntOrPercentError';
}

/** An int, or "N%" of `total` rounded up or down. */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const m = /^(-?\d+)%$/.exec(v);
    if (m) {
      const x = (Number(m[1]) * total) / 100;
      return roundUp ? Math.ceil(x) : Math.floor(x);
    }
    if (/^-?\d+$/.test(v)) return Number(v);
  }
  throw new IntOrPercentError(`invalid value for IntOrString: invalid type: string is not a percentage`);
}

/**
 * deploymentutil.ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero makes
 * maxUnavailable 1 so a rollout can always make progress.
 */
export function resolveFenceposts(maxSurge: unknown, maxUnavailable: unknown, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
