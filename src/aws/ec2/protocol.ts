// The EC2 query protocol ("ec2" in the AWS SDKs' models): form parameters with lists flattened as
// `Name.N` (structures as `Name.N.Field`), answers as <ActionResponse> with the result members
// directly inside (no <ActionResult> wrapper), lists as <item> elements and lowerCamel names,
// errors as <Response><Errors><Error>. API version 2016-11-15.
import { AwsError } from '../errors.js';
import { escapeXml } from '../server/query.js';

export const EC2_API_VERSION = '2016-11-15';
export const EC2_NAMESPACE = `http://ec2.amazonaws.com/doc/${EC2_API_VERSION}/`;

export type Params = Record<string, string>;

/** `Name.1`, `Name.2`, ... in order (the first gap ends the list). */
export function numberedList(params: Params, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${name}.${i}`] !== undefined; i++) out.push(params[`${name}.${i}`]);
  return out;
}

export interface Filter {
  name: string;
  values: string[];
}

/** `Filter.N.Name` with `Filter.N.Value.M`. */
export function filters(params: Params): Filter[] {
  const out: Filter[] = [];
  for (let i = 1; params[`Filter.${i}.Name`] !== undefined; i++) out.push({ name: params[`Filter.${i}.Name`], values: numberedList(params, `Filter.${i}.Value`) });
  return out;
}

/** NextToken is the offset of the next page; MaxResults within the action's range [min, max]. */
export function page<T>(items: T[], p: Params, min: number, max: number): { items: T[]; nextToken?: string } {
  const size = p.MaxResults === undefined ? items.length : Number(p.MaxResults);
  if (p.MaxResults !== undefined && (!Number.isInteger(size) || size < min || size > max)) {
    throw new AwsError('InvalidParameterValue', `Value ( ${p.MaxResults} ) for parameter maxResults is invalid. Parameter must be between ${min} and ${max}.`, 400);
  }
  let start = 0;
  if (p.NextToken !== undefined) {
    start = Number(Buffer.from(p.NextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidPaginationToken', `Invalid pagination token: ${p.NextToken}`, 400);
  }
  const end = start + size;
  return { items: items.slice(start, end), nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

/** What an EC2 answer can hold; arrays become <item> lists; undefined members are left out. */
export type Ec2Xml = string | number | boolean | undefined | Ec2Xml[] | { [key: string]: Ec2Xml };

function render(value: Ec2Xml): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<item>${render(v)}</item>`).join('');
  if (typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out += `<${k}>${render(v)}</${k}>`;
    return out;
  }
  return escapeXml(String(value));
}

export function ec2Response(action: string, requestId: string, result: Record<string, Ec2Xml>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}"><requestId>${requestId}</requestId>${render(result)}</${action}Response>`;
}

export function ec2ErrorResponse(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
