// DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): every pod that does not
// already tolerate them gets NoExecute tolerations of node.kubernetes.io/not-ready and
// node.kubernetes.io/unreachable for 300 seconds, so taint-based eviction waits five minutes.
import { badRequest } from '../../../api/status.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

function tolerates(t: Record<string, unknown>, key: string): boolean {
  const k = typeof t.key === 'string' ? t.key : '';
  const effect = typeof t.effect === 'string' ? t.effect : '';
  return (k === key || k === '') && (effect === 'NoExecute' || effect === '');
}

export class DefaultTolerationSeconds implements AdmissionPlugin {
  readonly name = 'DefaultTolerationSeconds';

  constructor(
    private readonly notReadySeconds = DEFAULT_TOLERATION_SECONDS,
    private readonly unreachableSeconds = DEFAULT_TOLERATION_SECONDS,
  ) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
    if (attrs.resource.group !== '' || attrs.resource.resource !== 'pods' || attrs.subresource) return;
    const pod = attrs.object;
    if (!pod) return;
    if (typeof pod.spec !== 'object' || pod.spec === null || Array.isArray(pod.spec)) throw badRequest('expected *core.Pod but got a body without spec');
    const spec = pod.spec as Record<string, unknown>;
    const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as Record<string, unknown>[]) : [];
    const notReady = tolerations.some((t) => tolerates(t, TAINT_NODE_NOT_READY));
    const unreachable = tolerations.some((t) => tolerates(t, TAINT_NODE_UNREACHABLE));
    if (notReady && unreachable) return;
    const next = [...tolerations];
    if (!notReady) next.push({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.notReadySeconds });
    if (!unreachable) next.push({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.unreachableSeconds });
    spec.tolerations = next;
  }
}
