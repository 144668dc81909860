// The path items of one group-version document: every REST operation of its resources, with
// the operation ids, actions, parameters and bodies kube-apiserver's OpenAPI v3 lists
// (apiserver endpoints/installer.go). kubectl reads two things from them: whether a kind's
// PATCH declares `fieldValidation` (then it validates server-side), and whether that PATCH
// accepts application/strategic-merge-patch+json inline (then it builds patches from v3).
import { subresourceInfo } from '../schema/resources.js';
import type { ResourceDef } from '../schema/types.js';
import type { ComponentsBuilder, Gvk } from './components.js';
import { PATCH_REF } from './components.js';
import { gvWord, tagFor } from './names.js';

type Obj = Record<string, unknown>;

const META = 'k8s.io/apimachinery/pkg/apis/meta/v1';

function queryParam(name: string, type: 'string' | 'integer' | 'boolean', description: string): Obj {
  return { description, in: 'query', name, schema: { type, uniqueItems: true } };
}

const P = {
  allowWatchBookmarks: queryParam('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  continue: queryParam('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  dryRun: queryParam('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: queryParam('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldSelector: queryParam('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  fieldValidation: queryParam('fieldValidation', 'string', 'fieldValidation determines how the server should respond to unknown/duplicate fields in the object in the request. Valid values are: Ignore, Warn, Strict.'),
  force: queryParam('force', 'boolean', 'Force is going to "force" Apply requests. Force flag must be unset for non-apply patch requests.'),
  gracePeriodSeconds: queryParam('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  ignoreStoreReadError: queryParam(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.',
  ),
  labelSelector: queryParam('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: queryParam('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  orphanDependents: queryParam('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy.'),
  pretty: queryParam('pretty', 'string', "If 'true', then the output is pretty printed."),
  propagationPolicy: queryParam('propagationPolicy', 'string', "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'."),
  resourceVersion: queryParam('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  resourceVersionMatch: queryParam('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  sendInitialEvents: queryParam('sendInitialEvents', 'boolean', '`sendInitialEvents=true` may be set together with `watch=true`; the stream then begins with synthetic events for the current state.'),
  timeoutSeconds: queryParam('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  watch: queryParam('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
};

const LIST_PARAMS = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];

function pathParam(name: string, description: string): Obj {
  return { description, in: 'path', name, required: true, schema: { type: 'string', uniqueItems: true } };
}
const NAMESPACE_PARAM = pathParam('namespace', 'object name and auth scope, such as for teams and projects');

const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
/** Custom resources take no strategic merge patch (apiextensions-apiserver), so kubectl falls back to a merge patch. */
const CUSTOM_PATCH_TYPES = PATCH_TYPES.filter((t) => t !== 'application/strategic-merge-patch+json');

/** Built-in kinds are Go types of the k8s.io modules; custom resources are named by their group. */
function patchTypesFor(r: ResourceDef): string[] {
  return r.typeRef.startsWith('k8s.io/') ? PATCH_TYPES : CUSTOM_PATCH_TYPES;
}
const RESPONSE_TYPES = ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml'];
const WATCH_TYPES = ['application/json', 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf', 'application/vnd.kubernetes.protobuf;stream=watch', 'application/yaml'];

interface OpSpec {
  verb: 'get' | 'put' | 'post' | 'patch' | 'delete';
  action: string;
  operationId: string;
  description: string;
  parameters: Obj[];
  /** Response schema ref per status code. */
  responses: Record<string, { ref?: string; description: string; types?: string[]; schema?: Obj }>;
  body?: { ref: string; types: string[] };
  gvk?: Gvk;
}

export class PathsBuilder {
  readonly paths: Record<string, Obj> = {};

  constructor(
    private readonly components: ComponentsBuilder,
    private readonly group: string,
    private readonly version: string,
  ) {}

  private prefix(): string {
    return this.group === '' ? `/api/${this.version}` : `/apis/${this.group}/${this.version}`;
  }

  private op(spec: OpSpec): Obj {
    const responses: Obj = {};
    for (const [code, r] of Object.entries(spec.responses)) {
      const schema = r.schema ?? this.components.ref(r.ref!);
      const content: Obj = {};
      for (const t of r.types ?? RESPONSE_TYPES) content[t] = { schema };
      responses[code] = { content, description: r.description };
    }
    const out: Obj = { description: spec.description, operationId: spec.operationId };
    if (spec.parameters.length > 0) out.parameters = spec.parameters;
    if (spec.body) {
      const content: Obj = {};
      const schema = this.components.ref(spec.body.ref);
      for (const t of spec.body.types) content[t] = { schema };
      out.requestBody = { content, required: true };
    }
    out.responses = responses;
    out.tags = [tagFor(this.group, this.version)];
    out['x-kubernetes-action'] = spec.action;
    if (spec.gvk) out['x-kubernetes-group-version-kind'] = { group: spec.gvk.group, kind: spec.gvk.kind, version: spec.gvk.version };
    return out;
  }

  private add(path: string, params: Obj[], ops: OpSpec[]): void {
    if (ops.length === 0) return;
    const item: Obj = (this.paths[path] ??= {});
    for (const o of ops) item[o.verb] = this.op(o);
    const existing = (item.parameters as Obj[] | undefined) ?? [];
    item.parameters = [...existing, ...params.filter((p) => !existing.some((e) => e.name === p.name))];
  }

  /** GET <prefix>/ : the group-version's APIResourceList. */
  addRoot(): void {
    this.add(`${this.prefix()}/`, [], [
      {
        verb: 'get',
        action: 'get',
        operationId: `get${gvWord(this.group, this.version)}APIResources`,
        description: 'get available resources',
        parameters: [],
        responses: { '200': { ref: `${META}.APIResourceList`, description: 'OK', types: ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml'] } },
      },
    ]);
  }

  addResource(r: ResourceDef): void {
    const gv = gvWord(this.group, this.version);
    const ns = r.namespaced ? 'Namespaced' : '';
    const kind = r.kind;
    const gvk: Gvk = { group: r.group, version: r.version, kind };
    const listRef = listRefOf(r);
    const has = (v: string) => r.verbs.includes(v);
    const base = r.namespaced ? `${this.prefix()}/namespaces/{namespace}/${r.resource}` : `${this.prefix()}/${r.resource}`;
    const scopeParams = r.namespaced ? [NAMESPACE_PARAM] : [];
    const nameParam = pathParam('name', `name of the ${kind}`);
    const objResponses = (codes: string[]) =>
      Object.fromEntries(codes.map((c) => [c, { ref: r.typeRef, description: c === '200' ? 'OK' : c === '201' ? 'Created' : 'Accepted' }]));
    const statusRef = `${META}.Status`;

    // Collection.
    const collection: OpSpec[] = [];
    if (has('list')) {
      collection.push({
        verb: 'get', action: 'list', operationId: `list${gv}${ns}${kind}`, description: `list or watch objects of kind ${kind}`, parameters: LIST_PARAMS,
        responses: { '200': { ref: listRef, description: 'OK', types: [...RESPONSE_TYPES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'] } }, gvk,
      });
    }
    if (has('create')) {
      collection.push({
        verb: 'post', action: 'post', operationId: `create${gv}${ns}${kind}`, description: `create ${article(kind)} ${kind}`, parameters: WRITE_PARAMS,
        body: { ref: r.typeRef, types: ['*/*'] }, responses: objResponses(['200', '201', '202']), gvk,
      });
    }
    if (has('deletecollection')) {
      collection.push({
        verb: 'delete', action: 'deletecollection', operationId: `delete${gv}Collection${ns}${kind}`, description: `delete collection of ${kind}`,
        parameters: [...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p !== P.watch && p !== P.allowWatchBookmarks && p !== P.sendInitialEvents)],
        body: { ref: `${META}.DeleteOptions`, types: ['*/*'] }, responses: { '200': { ref: statusRef, description: 'OK' } }, gvk,
      });
    }
    this.add(base, [...scopeParams, P.pretty], collection);

    // All namespaces.
    if (r.namespaced && has('list')) {
      this.add(`${this.prefix()}/${r.resource}`, [...LIST_PARAMS, P.pretty], [
        {
          verb: 'get', action: 'list', operationId: `list${gv}${kind}ForAllNamespaces`, description: `list or watch objects of kind ${kind}`, parameters: [],
          responses: { '200': { ref: listRef, description: 'OK', types: [...RESPONSE_TYPES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'] } }, gvk,
        },
      ]);
    }

    // One object.
    const item: OpSpec[] = [];
    if (has('get')) item.push({ verb: 'get', action: 'get', operationId: `read${gv}${ns}${kind}`, description: `read the specified ${kind}`, parameters: [], responses: objResponses(['200']), gvk });
    if (has('update')) {
      item.push({
        verb: 'put', action: 'put', operationId: `replace${gv}${ns}${kind}`, description: `replace the specified ${kind}`, parameters: WRITE_PARAMS,
        body: { ref: r.typeRef, types: ['*/*'] }, responses: objResponses(['200', '201']), gvk,
      });
    }
    if (has('patch')) {
      item.push({
        verb: 'patch', action: 'patch', operationId: `patch${gv}${ns}${kind}`, description: `partially update the specified ${kind}`, parameters: PATCH_PARAMS,
        body: { ref: PATCH_REF, types: patchTypesFor(r) }, responses: objResponses(['200', '201']), gvk,
      });
    }
    if (has('delete')) {
      item.push({
        verb: 'delete', action: 'delete', operationId: `delete${gv}${ns}${kind}`, description: `delete ${article(kind)} ${kind}`, parameters: DELETE_PARAMS,
        body: { ref: `${META}.DeleteOptions`, types: ['*/*'] }, responses: { '200': { ref: statusRef, description: 'OK' }, '202': { ref: statusRef, description: 'Accepted' } }, gvk,
      });
    }
    this.add(`${base}/{name}`, [nameParam, ...scopeParams, P.pretty], item);

    // Subresources.
    for (const sub of r.subresources) this.addSubresource(r, sub, base, [nameParam, ...scopeParams, P.pretty]);

    // Deprecated watch paths, still listed upstream.
    if (has('watch')) {
      const watchResponses = { '200': { ref: `${META}.WatchEvent`, description: 'OK', types: WATCH_TYPES } };
      const wbase = r.namespaced ? `${this.prefix()}/watch/namespaces/{namespace}/${r.resource}` : `${this.prefix()}/watch/${r.resource}`;
      const deprecated = "deprecated: use the 'watch' parameter with a list operation instead";
      this.add(wbase, [...LIST_PARAMS, ...scopeParams, P.pretty], [
        { verb: 'get', action: 'watchlist', operationId: `watch${gv}${ns}${kind}List`, description: `watch individual changes to a list of ${kind}. ${deprecated}.`, parameters: [], responses: watchResponses, gvk },
      ]);
      this.add(`${wbase}/{name}`, [...LIST_PARAMS, nameParam, ...scopeParams, P.pretty], [
        { verb: 'get', action: 'watch', operationId: `watch${gv}${ns}${kind}`, description: `watch changes to an object of kind ${kind}. ${deprecated}, filtered to a single item with the 'fieldSelector' parameter.`, parameters: [], responses: watchResponses, gvk },
      ]);
      if (r.namespaced) {
        this.add(`${this.prefix()}/watch/${r.resource}`, [...LIST_PARAMS, P.pretty], [
          { verb: 'get', action: 'watchlist', operationId: `watch${gv}${kind}ListForAllNamespaces`, description: `watch individual changes to a list of ${kind}. ${deprecated}.`, parameters: [], responses: watchResponses, gvk },
        ]);
      }
    }
  }

  private addSubresource(r: ResourceDef, sub: string, base: string, params: Obj[]): void {
    const gv = gvWord(this.group, this.version);
    const ns = r.namespaced ? 'Namespaced' : '';
    const word = sub[0]!.toUpperCase() + sub.slice(1);
    const path = `${base}/{name}/${sub}`;
    const info = subresourceInfo(r, sub);
    const target = { group: info.group, version: info.version, kind: info.kind, ref: info.typeRef };
    const gvk: Gvk = { group: target.group, version: target.version, kind: target.kind };
    const ok = (codes: string[]) => Object.fromEntries(codes.map((c) => [c, { ref: target.ref, description: c === '200' ? 'OK' : c === '201' ? 'Created' : 'Accepted' }]));
    const id = (verb: string) => `${verb}${gv}${ns}${r.kind}${word}`;
    switch (sub) {
      case 'status':
      case 'scale':
      case 'ephemeralcontainers':
      case 'resize':
        this.add(path, params, [
          { verb: 'get', action: 'get', operationId: id('read'), description: `read ${sub} of the specified ${r.kind}`, parameters: [], responses: ok(['200']), gvk },
          { verb: 'put', action: 'put', operationId: id('replace'), description: `replace ${sub} of the specified ${r.kind}`, parameters: WRITE_PARAMS, body: { ref: target.ref, types: ['*/*'] }, responses: ok(['200', '201']), gvk },
          { verb: 'patch', action: 'patch', operationId: id('patch'), description: `partially update ${sub} of the specified ${r.kind}`, parameters: PATCH_PARAMS, body: { ref: PATCH_REF, types: patchTypesFor(r) }, responses: ok(['200', '201']), gvk },
        ]);
        return;
      case 'binding':
      case 'eviction':
      case 'token':
        this.add(path, params, [
          { verb: 'post', action: 'post', operationId: id('create'), description: `create ${sub} of ${article(r.kind)} ${r.kind}`, parameters: WRITE_PARAMS, body: { ref: target.ref, types: ['*/*'] }, responses: ok(['200', '201', '202']), gvk },
        ]);
        return;
      case 'finalize':
        this.add(path, params, [
          { verb: 'put', action: 'put', operationId: id('replace'), description: `replace finalize of the specified ${r.kind}`, parameters: WRITE_PARAMS, body: { ref: target.ref, types: ['*/*'] }, responses: ok(['200', '201']), gvk },
        ]);
        return;
      case 'log':
        this.add(path, params, [
          {
            verb: 'get', action: 'get', operationId: id('read'), description: `read log of the specified ${r.kind}`,
            parameters: ['container', 'follow', 'insecureSkipTLSVerifyBackend', 'limitBytes', 'previous', 'sinceSeconds', 'stream', 'tailLines', 'timestamps'].map((n) =>
              queryParam(n, ['follow', 'insecureSkipTLSVerifyBackend', 'previous', 'timestamps'].includes(n) ? 'boolean' : ['limitBytes', 'sinceSeconds', 'tailLines'].includes(n) ? 'integer' : 'string', `${n} of the log request`),
            ),
            responses: { '200': { description: 'OK', types: ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml', 'text/plain'], schema: { type: 'string' } } },
            gvk,
          },
        ]);
        return;
      default:
        return;
    }
  }
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? 'an' : 'a';
}

/** The list struct of a resource: same package, the list kind's name. */
export function listRefOf(r: ResourceDef): string {
  return `${r.typeRef.slice(0, r.typeRef.lastIndexOf('.'))}.${r.listKind}`;
}
