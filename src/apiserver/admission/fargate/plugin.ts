// EKS's Fargate mutation (the control plane's "0500-amazon-eks-fargate-mutation" step): a pod
// created in a namespace and with labels that match an ACTIVE Fargate profile gets the Fargate
// scheduler (spec.schedulerName: fargate-scheduler) and the label
// eks.amazonaws.com/fargate-profile=<profile> (EKS user guide, fargate-profile). The profiles are
// read from the ConfigMap the EKS side mirrors into the cluster (api/fargate.ts). DaemonSet pods
// are left alone (Fargate runs no DaemonSets), as are pods already bound to a node, given to a
// scheduler of their own choosing or annotated eks.amazonaws.com/compute-type: ec2.
import {
  COMPUTE_TYPE_LABEL, FARGATE_MIRROR_CONFIGMAP, FARGATE_MIRROR_NAMESPACE, FARGATE_PROFILE_LABEL, FARGATE_SCHEDULER_NAME, matchFargateProfile, parseFargateMirror,
  type FargateProfileView,
} from '../../../api/fargate.js';
import type { AdmissionAttributes, AdmissionLookup, AdmissionObject, AdmissionPlugin } from '../types.js';

const DEFAULT_SCHEDULER = 'default-scheduler';

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function ownedByDaemonSet(meta: Record<string, unknown>): boolean {
  const refs = Array.isArray(meta.ownerReferences) ? meta.ownerReferences : [];
  return refs.some((r) => asRecord(r)?.kind === 'DaemonSet' && asRecord(r)?.controller === true);
}

export class FargateAdmission implements AdmissionPlugin {
  readonly name = 'EKSFargateMutation';
  private cached?: { rv: string; profiles: FargateProfileView[] };

  async admit(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> {
    if (attrs.operation !== 'CREATE' || attrs.subresource) return;
    if (attrs.resource.group !== '' || attrs.resource.resource !== 'pods') return;
    const pod = attrs.object;
    const spec = asRecord(pod?.spec);
    if (!pod || !spec) return;
    const meta = asRecord(pod.metadata) ?? {};
    const scheduler = typeof spec.schedulerName === 'string' && spec.schedulerName !== '' ? spec.schedulerName : DEFAULT_SCHEDULER;
    if (scheduler !== DEFAULT_SCHEDULER && scheduler !== FARGATE_SCHEDULER_NAME) return;
    if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return;
    if (ownedByDaemonSet(meta)) return;
    // A pod annotated eks.amazonaws.com/compute-type: ec2 stays on EC2 (how EKS's CoreDNS
    // deployment kept its pods off Fargate until the annotation was removed).
    if (asRecord(meta.annotations)?.[COMPUTE_TYPE_LABEL] === 'ec2') return;
    const profiles = await this.profiles(lookup);
    if (profiles.length === 0) return;
    const labels = Object.fromEntries(Object.entries(asRecord(meta.labels) ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const profile = matchFargateProfile(profiles, attrs.namespace ?? '', labels);
    if (!profile) return;
    spec.schedulerName = FARGATE_SCHEDULER_NAME;
    meta.labels = { ...(asRecord(meta.labels) ?? {}), [FARGATE_PROFILE_LABEL]: profile.name };
    pod.metadata = meta;
  }

  private async profiles(lookup: AdmissionLookup) {
    let cm: AdmissionObject | undefined;
    if (lookup.get) cm = await lookup.get('', 'v1', 'configmaps', FARGATE_MIRROR_NAMESPACE, FARGATE_MIRROR_CONFIGMAP);
    else cm = (await lookup.list('', 'v1', 'configmaps', FARGATE_MIRROR_NAMESPACE)).find((c) => asRecord(c.metadata)?.name === FARGATE_MIRROR_CONFIGMAP);
    if (!cm) return [];
    // Parsed once per stored version of the ConfigMap.
    const rv = String(asRecord(cm.metadata)?.resourceVersion ?? '');
    if (this.cached?.rv !== rv) this.cached = { rv, profiles: parseFargateMirror(cm.data)?.profiles ?? [] };
    return this.cached.profiles;
  }
}
