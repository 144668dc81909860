// What the API server asks of the (simulated) data plane: usage for metrics.k8s.io, as
// metrics-server would report it, and container logs, as the kubelet would stream them.
import { notFound } from '../api/status.js';
import { parseLabelSelector } from '../apiserver/fieldselectors/labels.js';
import { matchesLabels } from '../util/label-selector.js';

type Obj = Record<string, unknown>;

export interface LogQuery {
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  previous?: boolean;
}

export interface DataPlane {
  nodeMetrics(): Obj[];
  podMetrics(namespace?: string): Obj[];
  /** The container's log lines, oldest first. */
  logs(namespace: string, pod: string, container: string | undefined, opts: LogQuery): string[];
}

const METRICS_GROUP = 'metrics.k8s.io';

function metadataOf(o: Obj): { name: string; labels?: Record<string, string> } {
  return (o['metadata'] ?? {}) as { name: string; labels?: Record<string, string> };
}

function itemsFor(plane: DataPlane | undefined, resource: string, namespace: string): Obj[] {
  if (!plane) return [];
  if (resource === 'nodes') return plane.nodeMetrics();
  if (resource === 'pods') return plane.podMetrics(namespace || undefined);
  return [];
}

/** A metrics.k8s.io list; labelSelector filters as metrics-server does (`kubectl top pod -l`). */
export function metricsList(plane: DataPlane | undefined, res: { resource: string; version: string; listKind: string }, namespace: string, labelSelector?: string): Obj {
  let items = itemsFor(plane, res.resource, namespace);
  if (labelSelector) {
    const sel = parseLabelSelector(labelSelector);
    items = items.filter((m) => matchesLabels(sel, metadataOf(m).labels));
  }
  return { kind: res.listKind, apiVersion: `${METRICS_GROUP}/${res.version}`, metadata: {}, items };
}

export function metricsGet(plane: DataPlane | undefined, res: { resource: string }, namespace: string, name: string): Obj {
  const found = itemsFor(plane, res.resource, namespace).find((m) => metadataOf(m).name === name);
  if (!found) throw notFound(METRICS_GROUP, res.resource, name);
  return found;
}

function nonNegativeInt(query: URLSearchParams, key: string): number | undefined {
  const v = query.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function logQuery(query: URLSearchParams): LogQuery {
  return {
    tailLines: nonNegativeInt(query, 'tailLines'),
    sinceSeconds: nonNegativeInt(query, 'sinceSeconds'),
    timestamps: query.get('timestamps') === 'true',
    previous: query.get('previous') === 'true',
  };
}
