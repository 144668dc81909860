// `/healthz`, `/livez`, `/readyz` and their per-check paths, in upstream's text form
// (k8s.io/apiserver/pkg/server/healthz): "ok", or with `?verbose` one `[+]name ok` line per check.
import type { Res } from './http-types.js';
import { writeText } from './respond.js';

export interface HealthCheck {
  name: string;
  /** Resolves when healthy; rejects (or resolves false) when not. */
  check(): Promise<boolean | void>;
}

async function passes(c: HealthCheck): Promise<boolean> {
  try {
    return (await c.check()) !== false;
  } catch {
    return false;
  }
}

/**
 * Serves `/<endpoint>` and `/<endpoint>/<check>`. Returns false when `subpath` names no check.
 * `exclude` query values skip checks, as upstream allows.
 */
export async function serveHealth(res: Res, endpoint: string, checks: HealthCheck[], subpath: string, query: URLSearchParams): Promise<boolean> {
  if (subpath) {
    const one = checks.find((c) => c.name === subpath);
    if (!one) return false;
    const ok = await passes(one);
    writeText(res, ok ? 200 : 500, ok ? 'ok' : `internal server error: ${one.name} check failed\n`);
    return true;
  }
  const excluded = new Set(query.getAll('exclude'));
  const results: { name: string; ok: boolean }[] = [];
  for (const c of checks) {
    if (excluded.has(c.name)) continue;
    results.push({ name: c.name, ok: await passes(c) });
  }
  const failed = results.some((r) => !r.ok);
  const verbose = query.has('verbose') || failed;
  if (!verbose) {
    writeText(res, 200, 'ok');
    return true;
  }
  const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
  for (const name of excluded) lines.push(`[+]${name} excluded: ok`);
  lines.push(failed ? `${endpoint} check failed` : `${endpoint} check passed`);
  writeText(res, failed ? 500 : 200, lines.join('\n') + '\n');
  return true;
}
