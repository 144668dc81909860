// A conversion webhook's clientConfig (k8s.io/apiserver/pkg/util/webhook/validation.go
// ValidateWebhookURL with https forced, ValidateWebhookService), as the CRD validation calls them.
import type { FieldError } from '../../api/field-errors.js';
import { dns1123SubdomainErrors } from '../validation/names.js';
import { parseURL, type GoURL } from './gourl.js';
import { isPlainObject } from './types.js';

const FORM = '; desired format: https://host[/path]';

function validateUrl(raw: string, path: string): FieldError[] {
  let u: GoURL;
  try {
    u = parseURL(raw);
  } catch (err) {
    return [{ type: 'FieldValueRequired', field: path, detail: `url must be a valid URL: ${(err as Error).message}${FORM}` }];
  }
  // u.User: what precedes the last '@' of the authority.
  const authority = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(raw)?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : undefined;
  const errs: FieldError[] = [];
  if (u.scheme !== 'https') errs.push({ type: 'FieldValueInvalid', field: path, badValue: u.scheme, detail: `'https' is the only allowed URL scheme${FORM}` });
  if (!u.host) errs.push({ type: 'FieldValueInvalid', field: path, badValue: u.host, detail: `host must be specified${FORM}` });
  if (user !== undefined) errs.push({ type: 'FieldValueInvalid', field: path, badValue: user, detail: 'user information is not permitted in the URL' });
  if (u.fragment) errs.push({ type: 'FieldValueInvalid', field: path, badValue: u.fragment, detail: 'fragments are not permitted in the URL' });
  if (u.rawQuery) errs.push({ type: 'FieldValueInvalid', field: path, badValue: u.rawQuery, detail: 'query parameters are not permitted in the URL' });
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
