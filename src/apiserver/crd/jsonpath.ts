// The JSONPath subset of additionalPrinterColumns and scale paths (k8s.io/client-go/util/jsonpath
// as CRDs use it): `.a.b`, `.a[0]`, `.a[-1]`, `.a['dotted.key']`, `.a[*].b`, optionally wrapped in
// `{}`. Evaluation returns every match in order.

type Step = { kind: 'field'; name: string } | { kind: 'index'; i: number } | { kind: 'all' };

export function parseJsonPath(path: string): Step[] | undefined {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p === '.' || p === '') return [];
  const steps: Step[] = [];
  const re = /\.([^.[\]]+)|\[(-?\d+)\]|\[\*\]|\.\*|\[['"]([^'"]*)['"]\]/y;
  let pos = 0;
  while (pos < p.length) {
    re.lastIndex = pos;
    const m = re.exec(p);
    if (!m) return undefined;
    pos = re.lastIndex;
    if (m[1] !== undefined) steps.push({ kind: 'field', name: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'index', i: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ kind: 'field', name: m[3] });
    else steps.push({ kind: 'all' });
  }
  return steps;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function evalJsonPath(obj: unknown, path: string): unknown[] {
  const steps = parseJsonPath(path);
  if (!steps) return [];
  let cur: unknown[] = [obj];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (s.kind === 'field') {
        if (isObj(v) && Object.hasOwn(v, s.name) && v[s.name] !== undefined) next.push(v[s.name]);
      } else if (s.kind === 'index') {
        if (Array.isArray(v)) {
          const i = s.i < 0 ? v.length + s.i : s.i;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (Array.isArray(v)) next.push(...v);
      else if (isObj(v)) next.push(...Object.values(v));
    }
    cur = next;
  }
  return cur;
}

/** Sets a value at a simple dotted path (`.spec.replicas`), creating missing objects. */
export function setJsonPath(obj: Record<string, unknown>, path: string, value: unknown): boolean {
  const steps = parseJsonPath(path);
  if (!steps || steps.length === 0 || steps.some((s) => s.kind !== 'field')) return false;
  let cur: Record<string, unknown> = obj;
  for (const s of steps.slice(0, -1)) {
    const name = (s as { name: string }).name;
    if (!isObj(cur[name])) Object.defineProperty(cur, name, { value: {}, enumerable: true, writable: true, configurable: true });
    cur = cur[name] as Record<string, unknown>;
  }
  const last = (steps[steps.length - 1] as { name: string }).name;
  Object.defineProperty(cur, last, { value, enumerable: true, writable: true, configurable: true });
  return true;
}
