// LaunchTemplateData between the EC2 query protocol and the model: the request's flattened
// parameters (LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeSize=100) become the API's
// structure ({ BlockDeviceMappings: [{ Ebs: { VolumeSize: 100 } }] }, as the aws CLI's
// --launch-template-data JSON spells it), and a stored structure becomes the response's XML
// (<blockDeviceMappingSet><item><ebs><volumeSize>100</volumeSize>...). Both walk the members of
// data/launch-template-data.ts; a parameter no member names is EC2's UnknownParameter.
import type { LaunchTemplateData } from '../../cloud/index.js';
import { AwsError } from '../errors.js';
import { LAUNCH_TEMPLATE_DATA, type Shape } from './data/launch-template-data.js';
import type { Ec2Xml, Params } from './protocol.js';

function scalar(shape: Shape, raw: string, name: string): unknown {
  if (shape === 's') return raw;
  if (shape === 'b') {
    if (raw !== 'true' && raw !== 'false') throw new AwsError('InvalidParameterValue', `Invalid value '${raw}' for ${name}. Expected a boolean.`, 400);
    return raw === 'true';
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (shape === 'i' && !Number.isInteger(n))) {
    throw new AwsError('InvalidParameterValue', `Invalid value '${raw}' for ${name}.`, 400);
  }
  return n;
}

/** Reads the structure under `prefix` from the flattened parameters; `used` collects the keys read. */
function read(shape: Shape, params: Params, keys: string[], prefix: string, used: Set<string>): unknown {
  if (typeof shape === 'string') {
    if (params[prefix] === undefined) return undefined;
    used.add(prefix);
    return scalar(shape, params[prefix], prefix);
  }
  if ('list' in shape) {
    const out: unknown[] = [];
    for (let i = 1; ; i++) {
      const item = `${prefix}.${i}`;
      if (!keys.some((k) => k === item || k.startsWith(`${item}.`))) break;
      out.push(read(shape.list, params, keys, item, used) ?? {});
    }
    return out.length ? out : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [name, queryName, , member] of shape.struct) {
    const key = `${prefix}.${queryName}`;
    if (!keys.some((k) => k === key || k.startsWith(`${key}.`))) continue;
    const v = read(member, params, keys, key, used);
    if (v !== undefined) out[name] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The LaunchTemplateData of a request (`prefix` is "LaunchTemplateData"); undefined when none is given. */
export function parseLaunchTemplateData(params: Params, prefix = 'LaunchTemplateData'): LaunchTemplateData | undefined {
  const keys = Object.keys(params).filter((k) => k === prefix || k.startsWith(`${prefix}.`));
  const used = new Set<string>();
  const data = read(LAUNCH_TEMPLATE_DATA, params, keys, prefix, used) as LaunchTemplateData | undefined;
  const unknown = keys.find((k) => !used.has(k) && k !== prefix);
  if (unknown) throw new AwsError('UnknownParameter', `The parameter ${unknown.slice(prefix.length + 1)} is not recognized`, 400);
  return data;
}

function render(shape: Shape, value: unknown): Ec2Xml {
  if (value === undefined || value === null) return undefined;
  if (typeof shape === 'string') return value as string | number | boolean;
  if ('list' in shape) return (value as unknown[]).map((v) => render(shape.list, v));
  const out: Record<string, Ec2Xml> = {};
  const obj = value as Record<string, unknown>;
  for (const [name, , xmlName, member] of shape.struct) if (obj[name] !== undefined) out[xmlName] = render(member, obj[name]);
  return out;
}

/** ResponseLaunchTemplateData as XML members. */
export function launchTemplateDataXml(data: LaunchTemplateData): Ec2Xml {
  return render(LAUNCH_TEMPLATE_DATA, data) ?? {};
}
