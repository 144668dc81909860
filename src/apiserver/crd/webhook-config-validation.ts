// A conversion webhook's clientConfig (k8s.io/apiserver/pkg/util/webhook/validation.go
// ValidateWebhookURL with https forced, ValidateWebhookService), as the CRD validation calls them.
import type { FieldError } from '../../api/field-errors.js';
import { dns1123SubdomainErrors } from '../validation/names.js';
import { isPlainObject } from './types.js';

const FORM = '; desired format: https://host[/path]';

interface GoUrl {
  scheme: string;
  host: string;
  user?: string;
  query: string;
  fragment: string;
}

/** The parts Go's url.Parse finds (it accepts far more than WHATWG URL does), or its error. */
function parseGoUrl(raw: string): GoUrl | { error: string } {
  let rest = raw;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let scheme = '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(':')) {
    return { error: `parse ${JSON.stringify(raw)}: missing protocol scheme` };
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('//')) return { scheme, host: '', query, fragment };
  const authority = rest.slice(2).split('/')[0]!;
  const at = authority.lastIndexOf('@');
  return { scheme, host: at >= 0 ? authority.slice(at + 1) : authority, user: at >= 0 ? authority.slice(0, at) : undefined, query, fragment };
}

function validateUrl(raw: string, path: string): FieldError[] {
  const u = parseGoUrl(raw);
  if ('error' in u) return [{ type: 'FieldValueRequired', field: path, detail: `url must be a valid URL: ${u.error}${FORM}` }];
  const errs: FieldError[] = [];
  if (u.scheme !== 'https') errs.push({ type: 'FieldValueInvalid', field: path, badValue: u.scheme, detail: `'https' is the only allowed URL scheme${FORM}` });
  if (!u.host) errs.push({ type: 'FieldValueInvalid', field: path, badValue: u.host, detail: `host must be specified${FORM}` });
  if (u.user !== undefined) errs.push({ type: 'FieldValueInvalid', field: path, badValue: u.user, detail: 'user information is not permitted in the URL' });
  if (u.fragment) errs.push({ type: 'FieldValueInvalid', field: path, badValue: u.fragment, detail: 'fragments are not permitted in the URL' });
  if (u.query) errs.push({ type: 'FieldValueInvalid', field: path, badValue: u.query, detail: 'query parameters are not permitted in the URL' });
  return errs;
}

function validateService(svc: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof svc.name === 'string' ? svc.name : '';
  const namespace = typeof svc.namespace === 'string' ? svc.namespace : '';
  // Upstream passes (name, namespace) to a function declared (namespace, name): a missing name
  // is reported at .namespace and a missing namespace at .name (kubernetes/kubernetes#141353).
  if (!namespace) errs.push({ type: 'FieldValueRequired', field: `${path}.name` });
  if (!name) errs.push({ type: 'FieldValueRequired', field: `${path}.namespace` });
  const port = typeof svc.port === 'number' ? svc.port : 443;
  if (!Number.isInteger(port) || port < 1 || port > 65535) errs.push({ type: 'FieldValueInvalid', field: `${path}.port`, badValue: port, detail: 'port is not valid: must be between 1 and 65535, inclusive' });
  if (typeof svc.path !== 'string') return errs;
  const urlPath = svc.path;
  if (urlPath === '/' || urlPath === '') return errs;
  const at = `${path}.path`;
  if (urlPath === '//') return [...errs, { type: 'FieldValueInvalid', field: at, badValue: urlPath, detail: 'segment[0] may not be empty' }];
  if (!urlPath.startsWith('/')) errs.push({ type: 'FieldValueInvalid', field: at, badValue: urlPath, detail: "must start with a '/'" });
  let check = urlPath.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (!step) {
      errs.push({ type: 'FieldValueInvalid', field: at, badValue: urlPath, detail: `segment[${i}] may not be empty` });
      return;
    }
    for (const failure of dns1123SubdomainErrors(step)) errs.push({ type: 'FieldValueInvalid', field: at, badValue: urlPath, detail: `segment[${i}]: ${failure}` });
  });
  return errs;
}

/** The url or service of `spec.conversion.webhook.clientConfig` (exactly one is set). */
export function validateWebhookClientConfig(cc: Record<string, unknown>, path: string): FieldError[] {
  if (typeof cc.url === 'string') return validateUrl(cc.url, `${path}.url`);
  if (isPlainObject(cc.service)) return validateService(cc.service, `${path}.service`);
  return [];
}
