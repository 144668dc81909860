// The built-in admission plugins of this package, in kube-apiserver's recommended order
// (LimitRanger ... DefaultTolerationSeconds ... ResourceQuota last, so quota is charged for the
// object as every other plugin left it).
import { DefaultTolerationSeconds } from './defaulttolerationseconds/plugin.js';
import { FargateAdmission } from './fargate/plugin.js';
import { LimitRanger } from './limitranger/plugin.js';
import { ResourceQuotaAdmission } from './resourcequota/plugin.js';
import type { AdmissionPlugin } from './types.js';

export function defaultAdmissionPlugins(): AdmissionPlugin[] {
  return [new LimitRanger(), new DefaultTolerationSeconds(), new FargateAdmission(), new ResourceQuotaAdmission()];
}
