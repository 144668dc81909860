// Status conditions with upstream's bookkeeping: lastTransitionTime only moves when status changes.
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
}

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function conditionsOf(status: unknown): Condition[] {
  const c = (status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(c) ? (c as Condition[]) : [];
}

export function getCondition(status: unknown, type: string): Condition | undefined {
  return conditionsOf(status).find((c) => c.type === type);
}

/** Replaces (or appends) the condition of that type; keeps lastTransitionTime when status is unchanged. */
export function setCondition(conds: Condition[], c: Condition): Condition[] {
  const cur = conds.find((x) => x.type === c.type);
  const next = { ...c };
  if (cur && cur.status === c.status && cur.lastTransitionTime) next.lastTransitionTime = cur.lastTransitionTime;
  return [...conds.filter((x) => x.type !== c.type), next];
}

export function removeCondition(conds: Condition[], type: string): Condition[] {
  return conds.filter((c) => c.type !== type);
}
