// Conversion of custom objects between a CRD's versions (apiextensions-apiserver
// pkg/apiserver/conversion: converter.go delegatingCRConverter, nop_converter.go,
// webhook_converter.go). Objects already in the desired version are left alone; the others go
// in one batch to the strategy: None rewrites apiVersion, Webhook sends one ConversionReview.
// The answer is checked as upstream checks it (count, group/version, kind, name, namespace, uid)
// and only labels and annotations may change in metadata. Failures are the plain errors upstream
// passes to the client: 500 with no reason and the error text as message.
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../api/status.js';
import { fieldErrorMessage, type FieldError } from '../../api/field-errors.js';
import { validateAnnotations, validateLabels } from '../validation/meta.js';
import { postConversionReview, type ServiceResolver, type WebhookClientConfig } from './conversion-webhook.js';
import { crdVersions } from './resources.js';
import { isPlainObject, type CustomResourceDefinition } from './types.js';

type Obj = Record<string, unknown>;

export interface CrConverter {
  /**
   * The objects in `version`: those already there as they are, the others converted (one
   * webhook call for all).
   */
  convert(objs: readonly Readonly<Obj>[], version: string): Promise<Obj[]>;
}

/** A failure upstream returns as a plain error: ErrorToAPIStatus makes it 500 with reason Unknown (""). */
export function conversionError(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

/** schema.GroupVersion of an apiVersion, printed as upstream's GroupVersion.String(). */
function gvOf(apiVersion: unknown): { group: string; version: string } {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  if (!s) return { group: '', version: '' };
  const parts = s.split('/');
  if (parts.length === 1) return { group: '', version: s };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return { group: '', version: '' };
}
const gvString = (gv: { group: string; version: string }) => (gv.group ? `${gv.group}/${gv.version}` : gv.version);
/** GroupVersionKind.String(): `group/version, Kind=kind`. */
const gvkString = (apiVersion: unknown, kind: unknown) => {
  const gv = gvOf(apiVersion);
  return `${gv.group}/${gv.version}, Kind=${typeof kind === 'string' ? kind : ''}`;
};

/** Go's %T of a value decoded from JSON into interface{}. */
function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** field.ErrorList.ToAggregate().Error(). */
function aggregate(errs: FieldError[]): string {
  const msgs = errs.map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** validateConvertedObject: only labels and annotations of metadata may differ. */
function validateConverted(original: Obj, converted: Obj): string | undefined {
  const om = isPlainObject(original.metadata) ? original.metadata : {};
  const cm = isPlainObject(converted.metadata) ? converted.metadata : {};
  if (str(original.kind) !== str(converted.kind)) return `must have the same kind: ${str(original.kind)} != ${str(converted.kind)}`;
  for (const [field, label] of [['name', 'name'], ['namespace', 'namespace'], ['uid', 'UID']] as const) {
    if (str(om[field]) !== str(cm[field])) return `must have the same ${label}: ${str(om[field])} != ${str(cm[field])}`;
  }
  return undefined;
}

/** restoreObjectMeta: the original metadata with the converted labels and annotations. */
function restoreObjectMeta(original: Obj, converted: Obj): string | undefined {
  const found = 'metadata' in converted;
  const previouslyFound = 'metadata' in original;
  if (!found && !previouslyFound) return undefined;
  if (previouslyFound && !found) return 'missing metadata in converted object';
  const cm = converted.metadata;
  const om = previouslyFound ? original.metadata : {};
  if (!isPlainObject(cm)) return `invalid metadata of type ${goType(cm)} in converted object`;
  if (!isPlainObject(om)) return `invalid metadata of type ${goType(om)} in input object`;
  const result: Obj = structuredClone(om);
  for (const fld of ['labels', 'annotations'] as const) {
    const value = cm[fld];
    if (value === undefined || value === null) {
      delete result[fld];
      continue;
    }
    if (!isPlainObject(value)) return `invalid metadata.${fld} of type ${goType(value)} in converted object`;
    const before = isPlainObject(om[fld]) ? (om[fld] as Obj) : {};
    let changed = Object.keys(before).length !== Object.keys(value).length;
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') return `metadata.${fld}[${k}] must be a string, but is ${goType(v)} in converted object`;
      if (before[k] !== v) changed = true;
    }
    if (changed) {
      // Upstream validates annotations at the path "metadata.annotation".
      const errs = fld === 'labels' ? validateLabels(value, 'metadata.labels') : validateAnnotations(value, 'metadata.annotation');
      if (errs.length) return aggregate(errs);
    }
    result[fld] = value;
  }
  converted.metadata = result;
  return undefined;
}

/** The ConversionReview apiVersion: the first of conversionReviewVersions Kumo speaks. */
function reviewVersion(versions: unknown): 'v1' | 'v1beta1' | undefined {
  for (const v of Array.isArray(versions) ? versions : []) if (v === 'v1' || v === 'v1beta1') return v;
  return undefined;
}

/** getConvertedObjectsFromResponse: the converted objects, or the webhook's failure. */
function convertedObjectsOf(review: Obj, sent: 'v1' | 'v1beta1', uid: string): unknown[] {
  const want = `apiextensions.k8s.io/${sent}`;
  const apiVersion = str(review.apiVersion);
  const kind = str(review.kind);
  if (kind === 'ConversionReview' && apiVersion !== want && (apiVersion === 'apiextensions.k8s.io/v1' || apiVersion === 'apiextensions.k8s.io/v1beta1')) {
    // The client's codec cannot convert between the two review versions.
    throw new Error(`converting (${gvOf(apiVersion).version}.ConversionReview) to (${sent}.ConversionReview): unknown conversion`);
  }
  if (sent === 'v1' && (apiVersion !== want || kind !== 'ConversionReview')) {
    throw new Error(`expected webhook response of ${want}, Kind=ConversionReview, got ${gvkString(apiVersion, kind)}`);
  }
  const response = review.response;
  if (!isPlainObject(response)) throw new Error('no response provided');
  // v1beta1 answers are not checked for uid (upstream keeps that for compatibility).
  if (sent === 'v1' && str(response.uid) !== uid) throw new Error(`expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(str(response.uid))}`);
  const result = isPlainObject(response.result) ? response.result : {};
  if (result.status !== 'Success') {
    if (str(result.message)) throw new Error(str(result.message));
    throw new Error(`response.result.status was '${str(result.status)}', not 'Success'`);
  }
  return Array.isArray(response.convertedObjects) ? response.convertedObjects : [];
}

/** getRawExtensionObject: each converted object must be an object with a kind. */
function unstructured(raw: unknown): Obj {
  if (!isPlainObject(raw) || !str(raw.kind)) throw new Error(`Object 'Kind' is missing in '${JSON.stringify(raw)}'`);
  return raw;
}

export function crConverter(crd: CustomResourceDefinition, resolve: ServiceResolver): CrConverter {
  const group = str(crd.spec?.group);
  const validVersions = new Set(crdVersions(crd).map((v) => str(v.name)));
  const conversion = isPlainObject(crd.spec?.conversion) ? crd.spec.conversion : {};
  const webhook = conversion.strategy === 'Webhook' && isPlainObject(conversion.webhook) ? conversion.webhook : undefined;

  const callWebhook = async (items: Obj[], desired: string): Promise<Obj[]> => {
    const sent = reviewVersion(webhook?.conversionReviewVersions);
    if (!sent) throw new Error('no supported conversion review versions');
    const uid = randomUUID();
    const review = {
      kind: 'ConversionReview',
      apiVersion: `apiextensions.k8s.io/${sent}`,
      request: { uid, desiredAPIVersion: desired, objects: items },
      response: { uid: '', convertedObjects: null, result: { metadata: {} } },
    };
    let answerItems: unknown[];
    try {
      const answer = await postConversionReview((webhook?.clientConfig ?? {}) as WebhookClientConfig, review, resolve);
      answerItems = convertedObjectsOf(answer, sent, uid);
    } catch (err) {
      throw new Error(`conversion webhook for /, Kind= failed: ${(err as Error).message}`);
    }
    return answerItems.map(unstructured);
  };

  return {
    async convert(objs, version) {
      const desired = group ? `${group}/${version}` : version;
      if (!validVersions.has(version)) throw conversionError(`request to convert CR to an invalid group/version: ${desired}`);
      const toConvert: Obj[] = [];
      for (const o of objs) {
        const gv = gvOf(o.apiVersion);
        if (gv.group !== group || !validVersions.has(gv.version)) throw conversionError(`request to convert CR from an invalid group/version: ${gvString(gv)}`);
        if (o.apiVersion !== desired) toConvert.push(o as Obj);
      }
      if (toConvert.length === 0) return objs as Obj[];
      // Upstream decodes (and converts) stored objects one by one, so its messages name the
      // object's kind and version, and the webhook's list has no kind of its own.
      const inGVK = gvkString(toConvert[0]!.apiVersion, toConvert[0]!.kind);

      let converted: Obj[];
      if (!webhook) {
        // Copies: the caller prunes and defaults converted objects in place.
        converted = toConvert.map((o) => ({ ...structuredClone(o), apiVersion: desired }));
      } else {
        try {
          // The webhook gets copies: its answer is checked against the originals.
          converted = await callWebhook(toConvert.map((o) => structuredClone(o)), desired);
        } catch (err) {
          throw conversionError(`conversion for ${inGVK} failed: ${(err as Error).message}`);
        }
      }
      if (converted.length !== toConvert.length) throw conversionError(`conversion for ${inGVK} returned ${converted.length} objects, expected ${toConvert.length}`);

      const out: Obj[] = [];
      let index = 0;
      for (const original of objs) {
        if (original.apiVersion === desired) {
          out.push(original as Obj);
          continue;
        }
        const c = converted[index]!;
        index++;
        const at = `conversion for ${inGVK} returned invalid converted object at index ${index}`;
        const cgv = gvString(gvOf(c.apiVersion));
        if (cgv !== desired) throw conversionError(`${at}: invalid groupVersion (expected ${desired}, received ${cgv})`);
        if (str(c.kind) !== str(original.kind)) throw conversionError(`${at}: invalid kind (expected ${str(original.kind)}, received ${str(c.kind)})`);
        const invalid = validateConverted(original as Obj, c);
        if (invalid) throw conversionError(`${at}: ${invalid}`);
        const badMeta = restoreObjectMeta(original as Obj, c);
        if (badMeta) throw conversionError(`conversion for ${inGVK} returned invalid metadata in object at index ${index}: ${badMeta}`);
        out.push(c);
      }
      return out;
    },
  };
}
