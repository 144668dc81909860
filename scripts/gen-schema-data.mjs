// Generates src/apiserver/schema/data/types.json from the researched wire facts in
// ../shared/notes/k8s-api-types-1.33.json (Go declarations of k8s.io/api, apimachinery and
// apiextensions v0.33.13). The output is committed: the build never reads shared/.
//
// Output shape (one struct per line):
//   { "source": "...",
//     "specials": ["k8s.io/apimachinery/pkg/apis/meta/v1.Time", ...],
//     "structs": { "<pkg>.<Name>": { "fields": [FieldDef...], "structType"?: "atomic" } } }
// FieldDef is src/apiserver/schema/types.ts's shape plus two Go facts the JSON form depends
// on: omitEmpty (`json:",omitempty"`) and pointer (`*T`, so a zero value is still "set"), and
// the feature gate a field belongs to (featureGate), for dropping fields of disabled gates.
//
// Usage: node scripts/gen-schema-data.mjs [--check] [input.json] [output.json]
//   --check: write nothing; exit 1 if the committed output differs from what the notes give.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const [inputArg, outputArg] = args.filter((a) => a !== '--check');
const input = inputArg ?? resolve(repo, '../shared/notes/k8s-api-types-1.33.json');
const output = outputArg ?? resolve(repo, 'src/apiserver/schema/data/types.json');

const src = JSON.parse(readFileSync(input, 'utf8'));
const packages = src.packages;

const META = 'k8s.io/apimachinery/pkg/apis/meta/v1';
const CORE = 'k8s.io/api/core/v1';
const EXT = 'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1';

/** Go import qualifiers used in the declarations; several candidates where the alias is ambiguous. */
const QUALIFIERS = {
  metav1: [META],
  v1: [CORE, META], // core/v1 everywhere except apidiscovery/v2, where v1 is meta/v1
  corev1: [CORE],
  apiv1: [CORE],
  resource: ['k8s.io/apimachinery/pkg/api/resource'],
  intstr: ['k8s.io/apimachinery/pkg/util/intstr'],
  runtime: ['k8s.io/apimachinery/pkg/runtime'],
  types: ['k8s.io/apimachinery/pkg/types'],
};

/** Types with a hand-written JSON/protobuf form upstream. FieldsV1 marshals its raw JSON bytes. */
const SPECIALS = new Set([...Object.keys(src.special), `${META}.FieldsV1`]);
/** Go's interface{} (Table cells): any JSON value. */
const ANY = 'interface{}';
SPECIALS.add(ANY);
const ENVELOPE = 'k8s.io/apimachinery/pkg/runtime.Unknown';

/** Types not in the notes that the API types reference. */
const EXTRA_NAMED = {
  'k8s.io/apimachinery/pkg/types.UID': 'string',
};
/** CustomResourceSubresourceStatus is `struct{}` upstream, so it has no field rows in the notes. */
const EXTRA_STRUCTS = { [`${EXT}.CustomResourceSubresourceStatus`]: { fields: [] } };

const SCALARS = { string: 'string', int32: 'int32', int64: 'int64', bool: 'bool', float64: 'float64', int: 'int64' };

function findDecl(pkg, name) {
  const p = packages[pkg];
  const full = `${pkg}.${name}`;
  if (SPECIALS.has(full)) return { kind: 'special', full };
  if (EXTRA_STRUCTS[full]) return { kind: 'struct', full };
  if (EXTRA_NAMED[full]) return { kind: 'named', full, target: EXTRA_NAMED[full], pkg };
  if (!p) return undefined;
  if (p.types?.[name]) return { kind: 'struct', full };
  if (p.named?.[name] !== undefined) return { kind: 'named', full, target: p.named[name], pkg };
  return undefined;
}

function lookup(pkg, qualified) {
  const dot = qualified.indexOf('.');
  if (dot < 0) return findDecl(pkg, qualified);
  const q = qualified.slice(0, dot);
  const name = qualified.slice(dot + 1);
  for (const candidate of QUALIFIERS[q] ?? []) {
    const d = findDecl(candidate, name);
    if (d) return d;
  }
  return undefined;
}

/** Go type expression -> { node, pointer }. Throws on anything it cannot place. */
function resolveType(pkg, goType, seen = new Set()) {
  let t = goType.trim();
  let pointer = false;
  if (t.startsWith('*')) {
    pointer = true;
    t = t.slice(1);
  }
  if (t === '[]byte') return { node: { kind: 'scalar', scalar: 'bytes' }, pointer };
  if (t.startsWith('[]')) return { node: { kind: 'list', elem: resolveType(pkg, t.slice(2), seen).node }, pointer };
  if (t.startsWith('map[')) {
    const close = t.indexOf(']');
    return { node: { kind: 'map', value: resolveType(pkg, t.slice(close + 1), seen).node }, pointer };
  }
  if (t.startsWith('= ')) return resolveType(pkg, t.slice(2), seen);
  if (t === 'interface{}') return { node: { kind: 'special', ref: ANY }, pointer };
  if (SCALARS[t]) return { node: { kind: 'scalar', scalar: SCALARS[t] }, pointer };
  const decl = lookup(pkg, t);
  if (!decl) throw new Error(`cannot resolve Go type ${goType} in ${pkg}`);
  if (decl.kind === 'special') return { node: { kind: 'special', ref: decl.full }, pointer };
  if (decl.kind === 'struct') return { node: { kind: 'struct', ref: decl.full }, pointer };
  if (seen.has(decl.full)) throw new Error(`named type cycle at ${decl.full}`);
  seen.add(decl.full);
  const declPkg = decl.full.slice(0, decl.full.lastIndexOf('.'));
  return { node: resolveType(declPkg, decl.target, seen).node, pointer };
}

function structDecl(full) {
  if (EXTRA_STRUCTS[full]) return EXTRA_STRUCTS[full];
  const dot = full.lastIndexOf('.');
  return packages[full.slice(0, dot)].types[full.slice(dot + 1)];
}

function convertField(pkg, f) {
  const { node, pointer } = resolveType(pkg, f.type);
  const out = { json: f.json, type: node, proto: f.proto ?? 0 };
  if (f.inline) out.inline = true;
  if (f.optional) out.optional = true;
  if (f.omitempty) out.omitEmpty = true;
  if (pointer) out.pointer = true;
  if (f.patchStrategy) out.patchStrategy = f.patchStrategy.split(',').map((s) => s.trim()).filter(Boolean);
  if (f.patchMergeKey) out.patchMergeKey = f.patchMergeKey;
  if (f.listType) out.listType = f.listType;
  if (f.listMapKeys) out.listMapKeys = f.listMapKeys;
  if (f.mapType) out.mapType = f.mapType;
  if (f.featureGate) out.featureGate = f.featureGate;
  return out;
}

function refsOf(node, out) {
  if (node.kind === 'struct') out.push(node.ref);
  else if (node.kind === 'list') refsOf(node.elem, out);
  else if (node.kind === 'map') refsOf(node.value, out);
  return out;
}

// Roots: every exported struct of the API packages and of meta/v1 (DeleteOptions, Status, List...).
// runtime/resource/intstr internals come in only when an API type reaches them.
const roots = [];
for (const [pkg, p] of Object.entries(packages)) {
  if (!(pkg.startsWith('k8s.io/api/') || pkg === META || pkg === EXT)) continue;
  for (const name of Object.keys(p.types ?? {})) {
    const full = `${pkg}.${name}`;
    if (/^[A-Z]/.test(name) && !SPECIALS.has(full)) roots.push(full);
  }
}

const structs = {};
const queue = [...roots];
while (queue.length > 0) {
  const full = queue.shift();
  if (structs[full] || SPECIALS.has(full) || full === ENVELOPE) continue;
  const decl = structDecl(full);
  const pkg = full.slice(0, full.lastIndexOf('.'));
  const fields = [];
  for (const f of decl.fields) {
    if (f.json === '-') continue; // not part of the JSON form
    if (f.json === '' && !f.inline) throw new Error(`${full}.${f.go}: unnamed field that is not inline`);
    const field = convertField(pkg, f);
    fields.push(field);
    queue.push(...refsOf(field.type, []));
  }
  structs[full] = { fields };
  if (decl.structType) structs[full].structType = decl.structType;
}

// A struct-level `+structType=atomic` applies to every field of that type (SSA's rule).
for (const s of Object.values(structs)) {
  for (const f of s.fields) {
    if (f.type.kind === 'struct' && structs[f.type.ref]?.structType) f.structType = structs[f.type.ref].structType;
  }
}

const names = Object.keys(structs).sort();
const lines = names.map((n) => `${JSON.stringify(n)}:${JSON.stringify(structs[n])}`);
const text =
  `{"source":${JSON.stringify(src.source)},\n` +
  `"specials":${JSON.stringify([...SPECIALS].filter((s) => s !== ENVELOPE).sort())},\n` +
  `"structs":{\n${lines.join(',\n')}\n}}\n`;
if (check) {
  const current = existsSync(output) ? readFileSync(output, 'utf8') : '';
  if (current !== text) {
    console.error(`${output} is out of date: run node scripts/gen-schema-data.mjs`);
    process.exit(1);
  }
  console.log(`${output} is up to date (${names.length} structs)`);
} else {
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, text);
  console.log(`wrote ${names.length} structs to ${output} (${text.length} bytes)`);
}
