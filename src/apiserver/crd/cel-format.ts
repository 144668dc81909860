// Kubernetes' format library (k8s.io/apiserver/pkg/cel/library/format.go, for rules since 1.31):
// format.<name>() and format.named(name) give a Format whose validate(string) is optional.none()
// for a valid string, else optional.of(<list of the validator's messages>).
import { celFunc, celList, celMethod, CelScalar } from '@bufbuild/cel';
import { labelValueErrors, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, qualifiedNameErrors } from '../validation/names.js';
import { formatOk } from './formats.js';
import { parseRequestURI } from './gourl.js';
import { opaqueType } from './cel-opaque.js';
import { OPTIONAL, optionalNone, optionalOf } from './cel-optional.js';

interface Format {
  name: string;
  validate(s: string): string[];
}

const strfmt = (format: string, message: string) => (s: string) => (formatOk(format, s) ? [] : [message]);

const FORMATS: Record<string, Format> = {
  dns1123Label: { name: 'DNS1123Label', validate: (s) => nameIsDNSLabel(s, false) },
  dns1123Subdomain: { name: 'DNS1123Subdomain', validate: (s) => nameIsDNSSubdomain(s, false) },
  dns1035Label: { name: 'DNS1035Label', validate: (s) => nameIsDNS1035Label(s, false) },
  qualifiedName: { name: 'QualifiedName', validate: qualifiedNameErrors },
  dns1123LabelPrefix: { name: 'DNS1123LabelPrefix', validate: (s) => nameIsDNSLabel(s, true) },
  dns1123SubdomainPrefix: { name: 'DNS1123SubdomainPrefix', validate: (s) => nameIsDNSSubdomain(s, true) },
  dns1035LabelPrefix: { name: 'DNS1035LabelPrefix', validate: (s) => nameIsDNS1035Label(s, true) },
  labelValue: { name: 'LabelValue', validate: labelValueErrors },
  uri: {
    name: 'URI',
    validate: (s) => {
      try {
        parseRequestURI(s);
        return [];
      } catch (err) {
        return [(err as Error).message];
      }
    },
  },
  uuid: { name: 'uuid', validate: strfmt('uuid', 'does not match the UUID format') },
  byte: { name: 'byte', validate: strfmt('byte', 'invalid base64') },
  date: { name: 'date', validate: strfmt('date', 'invalid date') },
  datetime: { name: 'datetime', validate: strfmt('datetime', 'invalid datetime') },
};

export const FORMAT = opaqueType<Format>('kubernetes.NamedFormat', (a, b) => a.name === b.name);

export const formatFuncs = [
  ...Object.entries(FORMATS).map(([key, f]) => celFunc(`format.${key}`, [], FORMAT.type, () => FORMAT.make(f) as never)),
  celFunc('format.named', [CelScalar.STRING], OPTIONAL.type, (name) => {
    const f = Object.hasOwn(FORMATS, name) ? FORMATS[name] : undefined;
    return (f ? optionalOf(FORMAT.make(f)) : optionalNone()) as never;
  }),
  celMethod('validate', FORMAT.type, [CelScalar.STRING], OPTIONAL.type, function (s) {
    const f = FORMAT.get(this);
    if (!f) throw new Error('no such overload');
    const errs = f.validate(s);
    return (errs.length ? optionalOf(celList(errs)) : optionalNone()) as never;
  }),
];

/** The names format.<name>() takes. */
export const FORMAT_NAMES = Object.keys(FORMATS);
