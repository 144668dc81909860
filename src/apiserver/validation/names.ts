// Name rules (k8s.io/apimachinery/pkg/util/validation and api/validation/path) and which rule
// each kind's registry applies to metadata.name.
import { dns1123SubdomainErrors, maxLenError, regexError } from '../../util/label-selector.js';

export { dns1123SubdomainErrors, qualifiedNameErrors, labelValueErrors, regexError, maxLenError } from '../../util/label-selector.js';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL_RE.test(value)) errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  return errs;
}

export function dns1035LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL_RE.test(value)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/** path.IsValidPathSegmentName: RBAC objects and other names used as a URL path segment. */
export function pathSegmentErrors(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (value.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** A name validator: `prefix` is true for generateName, where a trailing '-' is allowed. */
export type NameRule = (name: string, prefix: boolean) => string[];

/** maskTrailingDash: a generateName may end in '-'. */
function masked(name: string, prefix: boolean): string {
  return prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
}

export const nameIsDNSSubdomain: NameRule = (n, p) => dns1123SubdomainErrors(masked(n, p));
export const nameIsDNSLabel: NameRule = (n, p) => dns1123LabelErrors(masked(n, p));
export const nameIsDNS1035Label: NameRule = (n, p) => dns1035LabelErrors(masked(n, p));
export const nameIsPathSegment: NameRule = (n, p) => (p ? pathSegmentErrors(n) : pathSegmentErrors(n));

const RBAC = 'rbac.authorization.k8s.io';

/** The rule each kind's strategy passes to ValidateObjectMeta. Everything else: DNS-1123 subdomain. */
const NAME_RULES: Record<string, NameRule> = {
  '/Namespace': nameIsDNSLabel,
  '/Service': nameIsDNS1035Label,
  'apps/StatefulSet': nameIsDNSLabel,
  [`${RBAC}/Role`]: nameIsPathSegment,
  [`${RBAC}/ClusterRole`]: nameIsPathSegment,
  [`${RBAC}/RoleBinding`]: nameIsPathSegment,
  [`${RBAC}/ClusterRoleBinding`]: nameIsPathSegment,
  'flowcontrol.apiserver.k8s.io/FlowSchema': nameIsPathSegment,
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': nameIsPathSegment,
};

export function nameRuleFor(group: string, kind: string): NameRule {
  return NAME_RULES[`${group}/${kind}`] ?? nameIsDNSSubdomain;
}
