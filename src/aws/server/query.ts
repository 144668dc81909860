// The AWS query protocol: form-encoded parameters in, XML out. Lists arrive flattened as
// `Name.member.N` (structures as `Name.member.N.Field`) and are answered as <member> elements.
import type { AwsError } from '../errors.js';

export type Params = Record<string, string>;

export function parseForm(text: string): Params {
  const out: Params = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

/** `Name.member.1`, `Name.member.2`, ... in order (gaps end the list). */
export function memberList(params: Params, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${name}.member.${i}`] !== undefined; i++) out.push(params[`${name}.member.${i}`]);
  return out;
}

/** `Name.member.N.Field` structures, e.g. Tags.member.1.Key / .Value. */
export function memberStructs(params: Params, name: string, fields: string[]): Record<string, string | undefined>[] {
  const out: Record<string, string | undefined>[] = [];
  for (let i = 1; fields.some((f) => params[`${name}.member.${i}.${f}`] !== undefined); i++) {
    const item: Record<string, string | undefined> = {};
    for (const f of fields) item[f] = params[`${name}.member.${i}.${f}`];
    out.push(item);
  }
  return out;
}

/** A value an XML answer can hold; arrays become <member> lists; undefined members are left out. */
export type XmlValue = string | number | boolean | undefined | null | XmlValue[] | { [key: string]: XmlValue };

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function render(value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${render(v)}</member>`).join('');
  if (typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      out += `<${k}>${render(v)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

export function xmlResponse(action: string, namespace: string, result: Record<string, XmlValue> | undefined, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${render(result)}</${action}Result>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">` +
    `${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function xmlError(err: AwsError, namespace: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${err.type}</Type>` +
    `<Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
