// API approval of CRDs in protected groups (*.k8s.io, *.kubernetes.io): the
// api-approved.kubernetes.io annotation (apiextensions-apiserver pkg/apihelpers GetAPIApprovalState,
// validation validateAPIApproval, pkg/controller/apiapproval's condition).
import type { FieldError } from '../../api/field-errors.js';
import { isPlainObject, type CustomResourceDefinition, type CustomResourceDefinitionCondition } from './types.js';

export const API_APPROVED_ANNOTATION = 'api-approved.kubernetes.io';

type State = 'Invalid' | 'Approved' | 'Bypassed' | 'Missing';

export function isProtectedCommunityGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

function annotationOf(crd: CustomResourceDefinition | undefined): string {
  const a = crd?.metadata?.annotations;
  const v = isPlainObject(a) ? a[API_APPROVED_ANNOTATION] : undefined;
  return typeof v === 'string' ? v : '';
}

export function apiApprovalState(crd: CustomResourceDefinition | undefined): { state: State; reason: string } {
  const annotation = annotationOf(crd);
  if (annotation.length === 0) return { state: 'Missing', reason: `protected groups must have approval annotation "${API_APPROVED_ANNOTATION}", see https://github.com/kubernetes/enhancements/pull/1111` };
  if (annotation.startsWith('unapproved')) return { state: 'Bypassed', reason: `not approved: ${JSON.stringify(annotation)}` };
  let url: URL | undefined;
  try {
    url = new URL(annotation);
  } catch {
    url = undefined;
  }
  if (url && url.host && url.protocol) return { state: 'Approved', reason: `approved in ${annotation}` };
  return { state: 'Invalid', reason: `protected groups must have approval annotation "${API_APPROVED_ANNOTATION}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111` };
}

export function validateAPIApproval(crd: CustomResourceDefinition, old: CustomResourceDefinition | undefined): FieldError[] {
  if (!isProtectedCommunityGroup(String(crd.spec?.group ?? ''))) return [];
  const next = apiApprovalState(crd);
  if (old && apiApprovalState(old).state === next.state) return [];
  const field = `metadata.annotations[${API_APPROVED_ANNOTATION}]`;
  if (next.state === 'Invalid') return [{ type: 'FieldValueInvalid', field, badValue: annotationOf(crd), detail: next.reason }];
  if (next.state === 'Missing') return [{ type: 'FieldValueRequired', field, detail: next.reason }];
  return [];
}

/** The KubernetesAPIApprovalPolicyConformant condition of a protected group's CRD. */
export function apiApprovalCondition(crd: CustomResourceDefinition): CustomResourceDefinitionCondition | undefined {
  if (!isProtectedCommunityGroup(String(crd.spec?.group ?? ''))) return undefined;
  const { state, reason } = apiApprovalState(crd);
  const byState: Record<State, [CustomResourceDefinitionCondition['status'], string]> = {
    Invalid: ['False', 'InvalidAnnotation'],
    Missing: ['False', 'MissingAnnotation'],
    Approved: ['True', 'ApprovedAnnotation'],
    Bypassed: ['False', 'UnapprovedAnnotation'],
  };
  const [status, r] = byState[state];
  return { type: 'KubernetesAPIApprovalPolicyConformant', status, reason: r, message: reason };
}
