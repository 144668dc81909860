// Completion indexes of Indexed Jobs (pkg/controller/job/indexed_job_utils.go): the index of a pod
// and the compressed interval form of status.completedIndexes ("1,3-5,7").
import { annotations, labels } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** The pod's completion index, or undefined when absent or invalid. */
export function indexOf(pod: Obj): number | undefined {
  const v = annotations(pod)[COMPLETION_INDEX] ?? labels(pod)[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

export function formatIntervals(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function parseIntervals(s: unknown): Set<number> {
  const out = new Set<number>();
  if (typeof s !== 'string' || !s) return out;
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b; i++) out.add(i);
  }
  return out;
}
