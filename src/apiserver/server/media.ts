// Content negotiation: which representation the client asked for in `Accept`, and what format a request
// body is in. Upstream: k8s.io/apiserver/pkg/endpoints/handlers/negotiation.
import { notAcceptable, unsupportedMediaType } from '../../api/status.js';

export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

/** Splits an Accept header into media ranges, highest quality first (stable for ties). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [{ type: '*', subtype: '*', params: {}, q: 1 }];
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [mime, ...rawParams] = part.split(';').map((s) => s.trim());
    if (!mime) continue;
    const [type, subtype = ''] = mime.toLowerCase().split('/');
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      if (k === 'q') q = Number(v);
      else params[k] = v;
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    out.push({ type, subtype, params, q });
  }
  return out.map((r, i) => ({ r, i })).sort((a, b) => b.r.q - a.r.q || a.i - b.i).map((x) => x.r);
}

export type Encoding = 'json' | 'yaml';

/** What an object response should be turned into before encoding. */
export type Representation =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadataList'; version: 'v1' | 'v1beta1' };

export interface ObjectNegotiation {
  encoding: Encoding;
  representation: Representation;
}

const ACCEPTED_OBJECT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function encodingOf(r: MediaRange): Encoding | undefined {
  if (r.type === '*' && r.subtype === '*') return 'json';
  if (r.type === 'application' && (r.subtype === '*' || r.subtype === 'json')) return 'json';
  if (r.type === 'application' && r.subtype === 'yaml') return 'yaml';
  return undefined;
}

/**
 * Picks the first acceptable representation for an object or list response. Transformations
 * (`as=Table` etc.) apply only with `g=meta.k8s.io` and a known version; a range with an unknown
 * `as` is skipped, as upstream does. `list` says whether the response is a list.
 */
export function negotiateObject(accept: string | undefined, list: boolean): ObjectNegotiation {
  for (const r of parseAccept(accept)) {
    const encoding = encodingOf(r);
    if (!encoding) continue;
    const as = r.params['as'];
    if (!as) return { encoding, representation: { as: 'object' } };
    if (r.params['g'] !== 'meta.k8s.io') continue;
    const version = r.params['v'];
    if (version !== 'v1' && version !== 'v1beta1') continue;
    if (as === 'Table') return { encoding, representation: { as: 'Table', version } };
    if (as === 'PartialObjectMetadata' && !list) return { encoding, representation: { as, version } };
    if (as === 'PartialObjectMetadataList' && list) return { encoding, representation: { as, version } };
  }
  throw notAcceptable(`only the following media types are accepted: ${ACCEPTED_OBJECT_TYPES.join(', ')}`);
}

/** Aggregated discovery negotiation: which APIGroupDiscoveryList version, or undefined for the legacy forms. */
export function negotiateDiscovery(accept: string | undefined): { version: 'v2' | 'v2beta1'; encoding: Encoding } | { version: 'legacy'; encoding: Encoding } {
  for (const r of parseAccept(accept)) {
    const encoding = encodingOf(r);
    if (!encoding) continue;
    if (!r.params['as']) return { version: 'legacy', encoding };
    if (r.params['as'] === 'APIGroupDiscoveryList' && r.params['g'] === 'apidiscovery.k8s.io' && (r.params['v'] === 'v2' || r.params['v'] === 'v2beta1')) {
      return { version: r.params['v'], encoding };
    }
  }
  throw notAcceptable(`only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
}

/** The format of a request body, from its Content-Type. */
export type BodyFormat = 'json' | 'yaml' | 'protobuf' | 'json-patch' | 'merge-patch' | 'strategic-merge-patch' | 'apply-patch';

export function contentTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** Body format of a create/update request (patch types are not accepted there). */
export function objectBodyFormat(header: string | undefined): 'json' | 'yaml' | 'protobuf' {
  const ct = contentTypeOf(header);
  switch (ct) {
    case '':
    case 'application/json':
      return 'json';
    case 'application/yaml':
      return 'yaml';
    case 'application/vnd.kubernetes.protobuf':
      return 'protobuf';
    default:
      throw unsupportedMediaType(header ?? '');
  }
}

export const PATCH_TYPES: Record<string, BodyFormat> = {
  'application/json-patch+json': 'json-patch',
  'application/merge-patch+json': 'merge-patch',
  'application/strategic-merge-patch+json': 'strategic-merge-patch',
  'application/apply-patch+yaml': 'apply-patch',
};
