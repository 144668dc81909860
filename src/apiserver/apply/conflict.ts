// The 409 an apply gets when it would change fields other managers own
// (managedfields/internal/conflict.go NewConflictError, errors.NewApplyConflict).
import { ApiError, type StatusCause } from '../../api/status.js';
import { type Path, pathString } from './path.js';

export interface FieldConflict {
  /** The manager identifier (JSON of manager, operation, apiVersion, subresource). */
  managerId: string;
  path: Path;
}

/** printManager: `"kubectl"`, `"x" with subresource "status"`, `"x" using apps/v1` for updaters. */
export function printManager(managerId: string): string {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(managerId) as Record<string, unknown>;
  } catch {
    return JSON.stringify(managerId);
  }
  let out = JSON.stringify(typeof e.manager === 'string' ? e.manager : '');
  if (typeof e.subresource === 'string' && e.subresource) out = `${out} with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') {
    const apiVersion = typeof e.apiVersion === 'string' ? e.apiVersion : '';
    if (typeof e.time === 'string') return `${out} using ${apiVersion} at ${e.time}`;
    return `${out} using ${apiVersion}`;
  }
  return out;
}

function conflictMessage(conflicts: FieldConflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0] as FieldConflict;
    return `Apply failed with 1 conflict: conflict with ${printManager(c.managerId)}: ${pathString(c.path)}`;
  }
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) {
    const list = byManager.get(c.managerId) ?? [];
    list.push(c.path);
    byManager.set(c.managerId, list);
  }
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(m)}:`);
    for (const p of byManager.get(m)!) lines.push(`- ${pathString(p)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** 409 Conflict with one FieldManagerConflict cause per conflicting field. */
export class ApplyConflictError extends ApiError {
  constructor(readonly conflicts: FieldConflict[]) {
    const causes: StatusCause[] = conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.managerId)}`,
      field: pathString(c.path),
    }));
    super({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: conflictMessage(conflicts), reason: 'Conflict', details: { causes }, code: 409 });
    this.name = 'ApplyConflictError';
  }
}
