// The CustomResourceDefinition registry strategy (apiextensions-apiserver pkg/registry/
// customresourcedefinition strategy.go and etcd.go Delete), for the registry to call on CRD writes.
import { storageVersion } from './resources.js';
import { CLEANUP_FINALIZER, isPlainObject, type CustomResourceDefinition, type CustomResourceDefinitionCondition } from './types.js';

/** PrepareForCreate: the status starts with the storage version as the only stored version. */
export function prepareCrdForCreate(crd: CustomResourceDefinition): void {
  const sv = storageVersion(crd);
  crd.status = { storedVersions: sv ? [sv] : [] };
}

/**
 * PrepareForUpdate of the main endpoint: status is kept from the stored object, and a new
 * storage version is appended to status.storedVersions.
 */
export function prepareCrdForUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): void {
  crd.status = isPlainObject(old.status) ? structuredClone(old.status) : {};
  const sv = storageVersion(crd);
  const stored = Array.isArray(crd.status.storedVersions) ? crd.status.storedVersions : (crd.status.storedVersions = []);
  if (sv && !stored.includes(sv)) stored.push(sv);
}

/**
 * Delete of a CRD that is not yet being deleted: the cleanup finalizer and the Terminating
 * condition are added, so the object stays (with deletionTimestamp) until the controller has
 * deleted every custom object and removed the finalizer.
 */
export function prepareCrdForDelete(crd: CustomResourceDefinition, now: string): void {
  const m = isPlainObject(crd.metadata) ? crd.metadata : (crd.metadata = {});
  if (m.deletionTimestamp) return;
  const fins = Array.isArray(m.finalizers) ? m.finalizers : (m.finalizers = []);
  if (!fins.includes(CLEANUP_FINALIZER)) fins.push(CLEANUP_FINALIZER);
  const status = isPlainObject(crd.status) ? crd.status : (crd.status = {});
  setCondition(status, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon' }, now);
}

/** SetCRDCondition: replaces the condition of the same type; the transition time moves only when status changes. */
export function setCondition(status: { conditions?: CustomResourceDefinitionCondition[] }, cond: CustomResourceDefinitionCondition, now: string): void {
  const conds = Array.isArray(status.conditions) ? status.conditions : (status.conditions = []);
  const i = conds.findIndex((c) => c.type === cond.type);
  if (i < 0) {
    conds.push({ ...cond, lastTransitionTime: now });
    return;
  }
  const prev = conds[i]!;
  conds[i] = { ...cond, lastTransitionTime: prev.status === cond.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
}

/**
 * SetDefaults_CustomResourceDefinition (apiextensions v1 defaults.go): singular is the lower-case
 * kind, listKind is kind + "List", conversion strategy None, webhook service port 443.
 */
export function defaultCrd(crd: CustomResourceDefinition): void {
  const spec = isPlainObject(crd.spec) ? crd.spec : undefined;
  if (!spec) return;
  const names = isPlainObject(spec.names) ? (spec.names as Record<string, unknown>) : undefined;
  if (names && typeof names.kind === 'string' && names.kind) {
    if (!names.singular) names.singular = names.kind.toLowerCase();
    if (!names.listKind) names.listKind = `${names.kind}List`;
  }
  const conversion = isPlainObject(spec.conversion) ? (spec.conversion as Record<string, unknown>) : ((spec as Record<string, unknown>).conversion = { strategy: 'None' });
  if (!conversion.strategy) conversion.strategy = 'None';
  const webhook = isPlainObject(conversion.webhook) ? conversion.webhook : undefined;
  const clientConfig = webhook && isPlainObject(webhook.clientConfig) ? webhook.clientConfig : undefined;
  const service = clientConfig && isPlainObject(clientConfig.service) ? clientConfig.service : undefined;
  if (service && service.port === undefined) service.port = 443;
}
