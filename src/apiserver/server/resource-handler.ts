// REST handling of resource requests (/api/v1/..., /apis/<group>/<version>/...): finds the resource,
// checks scope and verb, decodes the body, calls the registry and encodes the answer in the
// representation the client negotiated (object, Table, PartialObjectMetadata) — upstream's
// k8s.io/apiserver/pkg/endpoints/handlers.
import { ApiError, badRequest, methodNotAllowed } from '../../api/status.js';
import { subresourceInfo } from '../schema/resources.js';
import type { ResourceDef, SchemaCatalog } from '../schema/types.js';
import { readBody } from './body.js';
import { decodeObject, decodeOptions, type ExpectedKind, type ProtobufDecoder } from './decode.js';
import type { RequestContext, ResourceHandler } from './deps.js';
import { contentTypeOf, negotiateObject, objectBodyFormat, type Representation } from './media.js';
import { toPartialObjectMetadata, toPartialObjectMetadataList } from './partial-metadata.js';
import { deleteQuery, listQuery, writeQuery } from './query-options.js';
import type { Obj, PatchKind, ResourceApi, TableBuilder, Target, WriteContext } from './resource-api.js';
import { notFoundPath, unsupportedMediaTypes, writeBody, writeObject as writeWith, type Serialize } from './respond.js';
import { checkQuantities } from './quantities.js';
import { streamWatch } from './watch-stream.js';

const PATCH_CONTENT_TYPES: Record<string, PatchKind> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** Upstream's minimum request timeout; watches without timeoutSeconds last 1–2 times this. */
const MIN_REQUEST_TIMEOUT_S = 1800;

export interface ResourceHandlerOptions {
  catalog: SchemaCatalog;
  api: ResourceApi;
  protobuf?: ProtobufDecoder;
  tables?: TableBuilder;
  /** A warning every request to a resource carries (a deprecated CRD version's), if any. */
  resourceWarning?: (res: ResourceDef) => string | undefined;
  /** JSON encoder of responses (default JSON.stringify). */
  serialize?: Serialize;
  /** Hooks a watch's abort into server shutdown. */
  onShutdown?: (fn: () => void) => () => void;
}

function methodNotSupported(): ApiError {
  return methodNotAllowed('the server does not allow this method on the requested resource');
}

/** `299 - "text"` with the text escaped as upstream's warning recorder does. */
function warningHeader(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`;
}

function setWarnings(ctx: RequestContext, warnings: string[]): void {
  const already = ctx.res.getHeader('Warning');
  const previous = Array.isArray(already) ? already.map(String) : already === undefined ? [] : [String(already)];
  const unique = [...new Set([...previous, ...warnings.map(warningHeader)])];
  if (unique.length) ctx.res.setHeader('Warning', unique);
}

export class RestHandler implements ResourceHandler {
  private readonly serialize: Serialize;

  constructor(private readonly opts: ResourceHandlerOptions) {
    this.serialize = opts.serialize ?? JSON.stringify;
  }

  async handle(ctx: RequestContext): Promise<void> {
    const { info } = ctx;
    const res = this.opts.catalog.resource(info.apiGroup, info.apiVersion, info.resource);
    if (!res) throw notFoundPath();
    if (info.subresource && !res.subresources.includes(info.subresource)) throw notFoundPath();

    // Scope: namespaces are addressed as /api/v1/namespaces/{name}, where the parser puts the name in both.
    let namespace = info.namespace;
    if (!res.namespaced) {
      if (namespace && !(res.resource === 'namespaces' && res.group === '' && namespace === info.name)) throw notFoundPath();
      namespace = '';
    } else if (!namespace) {
      // Across all namespaces only list and watch exist.
      if (info.name || info.subresource) throw notFoundPath();
      if (info.verb !== 'list' && info.verb !== 'watch') throw methodNotSupported();
    }
    const target: Target = { res, namespace };
    const deprecation = this.opts.resourceWarning?.(res);
    if (deprecation) setWarnings(ctx, [deprecation]);

    if (info.subresource) return this.subresource(ctx, target);
    const verb = info.verb;
    if (!res.verbs.includes(verb)) throw methodNotSupported();
    switch (verb) {
      case 'get':
        return this.get(ctx, target);
      case 'list':
        return this.list(ctx, target);
      case 'watch':
        return this.watch(ctx, target);
      case 'create':
        return this.create(ctx, target);
      case 'update':
        return this.update(ctx, target);
      case 'patch':
        return this.patch(ctx, target, undefined);
      case 'delete':
        return this.delete(ctx, target);
      case 'deletecollection':
        return this.deleteCollection(ctx, target);
      default:
        throw methodNotSupported();
    }
  }

  private write(res: RequestContext['res'], code: number, obj: unknown, encoding: 'json' | 'yaml'): void {
    writeWith(res, code, obj, encoding, this.serialize);
  }

  /**
   * Writes `body` in the negotiated representation through the registry's serializer, which
   * reuses the cached JSON of stored objects (and of Table rows) and hands anything else to the
   * native JSON.stringify.
   */
  private respond(ctx: RequestContext, code: number, res: ResourceDef, body: Obj, n: { encoding: 'json' | 'yaml'; representation: Representation }, list: boolean): void {
    const out = this.represent(ctx, res, body, n.representation, list);
    writeWith(ctx.res, code, out, n.encoding, this.serialize);
  }

  private negotiate(ctx: RequestContext, list: boolean) {
    const accept = ctx.req.headers['accept'] as string | undefined;
    const n = negotiateObject(accept, list);
    if (n.representation.as === 'Table' && !this.opts.tables) {
      // Without Table support, answer the plain form (kubectl then prints NAME and AGE).
      return { ...n, representation: { as: 'object' } as Representation };
    }
    return n;
  }

  private includeObject(ctx: RequestContext): 'None' | 'Metadata' | 'Object' {
    const v = ctx.url.searchParams.get('includeObject') ?? '';
    if (v === '') return 'Metadata';
    if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
    throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`);
  }

  private represent(ctx: RequestContext, res: ResourceDef, body: Obj, representation: Representation, list: boolean): Obj {
    switch (representation.as) {
      case 'object':
        return body;
      case 'PartialObjectMetadata':
        return toPartialObjectMetadata(body, representation.version);
      case 'PartialObjectMetadataList':
        return toPartialObjectMetadataList(body, representation.version);
      case 'Table': {
        const items = list ? ((body['items'] as Obj[] | undefined) ?? []) : [body];
        const table = this.opts.tables!(res, items, { includeObject: this.includeObject(ctx), noHeaders: false, listMeta: list ? (body['metadata'] as Obj) : undefined });
        if (representation.version === 'v1beta1') table['apiVersion'] = 'meta.k8s.io/v1beta1';
        return table;
      }
    }
  }

  private writeContext(ctx: RequestContext, q: { dryRun: boolean; fieldManager?: string; fieldValidation: WriteContext['fieldValidation'] }, subresource?: string): WriteContext {
    const ua = ctx.req.headers['user-agent'];
    return {
      user: ctx.user,
      dryRun: q.dryRun,
      fieldManager: q.fieldManager,
      fieldValidation: q.fieldValidation,
      userAgent: typeof ua === 'string' ? ua : undefined,
      subresource,
      warnings: [],
    };
  }

  /** Decodes a create/update body; `typeRef` is the struct type whose quantities the decoder parses. */
  private async readObject(ctx: RequestContext, expected: ExpectedKind, typeRef: string | undefined): Promise<Obj> {
    const format = objectBodyFormat(ctx.req.headers['content-type'] as string | undefined);
    const body = await readBody(ctx.req);
    const obj = decodeObject(body, format, expected, this.opts.protobuf);
    if (typeRef) checkQuantities(this.opts.catalog, typeRef, obj);
    return obj;
  }

  private async get(ctx: RequestContext, t: Target): Promise<void> {
    const n = this.negotiate(ctx, false);
    const rv = ctx.url.searchParams.get('resourceVersion') || undefined;
    const obj = await this.opts.api.get(t, ctx.info.name, { resourceVersion: rv }, ctx.user);
    this.respond(ctx, 200, t.res, obj, n, false);
  }

  private async list(ctx: RequestContext, t: Target): Promise<void> {
    const n = this.negotiate(ctx, true);
    const list = await this.opts.api.list(t, listQuery(ctx.url.searchParams), ctx.user);
    this.respond(ctx, 200, t.res, list, n, true);
  }

  private async watch(ctx: RequestContext, t: Target): Promise<void> {
    const accept = ctx.req.headers['accept'] as string | undefined;
    // A watch sends single objects; PartialObjectMetadataList (what metadata informers ask for) means metadata per event.
    let n;
    try {
      n = this.negotiate(ctx, false);
    } catch {
      n = negotiateObject(accept, true);
    }
    const query = listQuery(ctx.url.searchParams);
    if (ctx.info.legacyWatch && ctx.info.name) query.fieldSelector = `metadata.name=${ctx.info.name}`;
    const controller = new AbortController();
    const events = await this.opts.api.watch(t, query, controller.signal, ctx.user);
    const includeObject = n.representation.as === 'Table' ? this.includeObject(ctx) : 'Metadata';
    const representation = n.representation;
    const tables = this.opts.tables;
    let headersSent = false;
    const transform = (event: { type: string; object: unknown }): unknown => {
      const object = event.object as Obj;
      if (event.type === 'ERROR') return object;
      switch (representation.as) {
        case 'object':
          return object;
        case 'PartialObjectMetadata':
        case 'PartialObjectMetadataList':
          return toPartialObjectMetadata(object, representation.version);
        case 'Table': {
          if (event.type === 'BOOKMARK') {
            return { kind: 'Table', apiVersion: `meta.k8s.io/${representation.version}`, metadata: { resourceVersion: (object['metadata'] as Obj | undefined)?.['resourceVersion'] ?? '' }, columnDefinitions: [], rows: [] };
          }
          // Only the first event carries column definitions (upstream handlers/response.go).
          const table = tables!(t.res, [object], { includeObject, noHeaders: headersSent });
          headersSent = true;
          if (representation.version === 'v1beta1') table['apiVersion'] = 'meta.k8s.io/v1beta1';
          return table;
        }
      }
    };
    const timeoutSeconds = query.timeoutSeconds ?? MIN_REQUEST_TIMEOUT_S * (1 + Math.random());
    await streamWatch(ctx.req, ctx.res, controller, events, {
      timeoutSeconds,
      transform,
      onShutdown: this.opts.onShutdown,
      contentType: 'application/json',
      serialize: this.serialize,
    });
  }

  private async create(ctx: RequestContext, t: Target): Promise<void> {
    const n = this.negotiate(ctx, false);
    const q = writeQuery(ctx.url.searchParams, 'CreateOptions');
    const obj = await this.readObject(ctx, t.res, t.res.typeRef);
    checkNamespace(obj, t);
    const wctx = this.writeContext(ctx, q);
    const created = await this.opts.api.create(t, obj, wctx);
    setWarnings(ctx, wctx.warnings);
    this.respond(ctx, 201, t.res, created, n, false);
  }

  private async update(ctx: RequestContext, t: Target): Promise<void> {
    const n = this.negotiate(ctx, false);
    const q = writeQuery(ctx.url.searchParams, 'UpdateOptions');
    const obj = await this.readObject(ctx, t.res, t.res.typeRef);
    checkNamespace(obj, t);
    checkName(obj, ctx.info.name);
    const wctx = this.writeContext(ctx, q);
    const result = await this.opts.api.update(t, ctx.info.name, obj, wctx);
    setWarnings(ctx, wctx.warnings);
    this.respond(ctx, result.created ? 201 : 200, t.res, result.object, n, false);
  }

  private async patch(ctx: RequestContext, t: Target, subresource: string | undefined): Promise<void> {
    const n = this.negotiate(ctx, false);
    const contentType = contentTypeOf(ctx.req.headers['content-type'] as string | undefined);
    const kind = PATCH_CONTENT_TYPES[contentType];
    if (!kind) throw unsupportedMediaTypes(Object.keys(PATCH_CONTENT_TYPES));
    const q = writeQuery(ctx.url.searchParams, 'PatchOptions', kind);
    const body = await readBody(ctx.req);
    const wctx = { ...this.writeContext(ctx, q, subresource), force: q.force ?? false };
    const result = subresource
      ? await this.opts.api.patchSubresource(t, ctx.info.name, subresource, kind, body, wctx)
      : await this.opts.api.patch(t, ctx.info.name, kind, body, wctx);
    setWarnings(ctx, wctx.warnings);
    this.respond(ctx, result.created ? 201 : 200, t.res, result.object, n, false);
  }

  private async deleteBody(ctx: RequestContext): Promise<Obj | undefined> {
    const body = await readBody(ctx.req);
    if (body.length === 0) return undefined;
    const format = objectBodyFormat(ctx.req.headers['content-type'] as string | undefined);
    return decodeOptions(body, format, 'DeleteOptions', this.opts.protobuf);
  }

  private async delete(ctx: RequestContext, t: Target): Promise<void> {
    const n = this.negotiate(ctx, false);
    const q = deleteQuery(ctx.url.searchParams);
    const body = await this.deleteBody(ctx);
    const wctx = this.writeContext(ctx, { dryRun: q.dryRun || dryRunInBody(body), fieldValidation: 'Ignore' });
    const result = await this.opts.api.delete(t, ctx.info.name, { ...q, body }, wctx);
    setWarnings(ctx, wctx.warnings);
    const isStatus = result.object['kind'] === 'Status';
    if (isStatus) this.write(ctx.res, result.code, result.object, n.encoding);
    else this.respond(ctx, result.code, t.res, result.object, n, false);
  }

  private async deleteCollection(ctx: RequestContext, t: Target): Promise<void> {
    const n = this.negotiate(ctx, true);
    const q = deleteQuery(ctx.url.searchParams);
    const body = await this.deleteBody(ctx);
    const wctx = this.writeContext(ctx, { dryRun: q.dryRun || dryRunInBody(body), fieldValidation: 'Ignore' });
    const list = await this.opts.api.deleteCollection(t, listQuery(ctx.url.searchParams), { ...q, body }, wctx);
    setWarnings(ctx, wctx.warnings);
    this.respond(ctx, 200, t.res, list, n, true);
  }

  private async subresource(ctx: RequestContext, t: Target): Promise<void> {
    const { info } = ctx;
    const sub = info.subresource;
    const facts = subresourceInfo(t.res, sub);
    const verb = info.verb;
    if (!facts.verbs.includes(verb)) throw methodNotSupported();
    const expected: ExpectedKind = { group: facts.group, version: facts.version, kind: facts.kind };
    // status (and other subresources of the object's own kind) carry the whole object.
    const sameKind = facts.group === t.res.group && facts.version === t.res.version && facts.kind === t.res.kind;
    switch (verb) {
      case 'get': {
        const out = await this.opts.api.getSubresource(t, info.name, sub, ctx.url.searchParams, ctx.user);
        if (typeof out === 'string') writeBody(ctx.res, 200, 'text/plain', out);
        else this.write(ctx.res, 200, out, this.negotiate(ctx, false).encoding);
        return;
      }
      case 'create': {
        const n = this.negotiate(ctx, false);
        const q = writeQuery(ctx.url.searchParams, 'CreateOptions');
        const obj = await this.readObject(ctx, expected, sameKind ? t.res.typeRef : undefined);
        const wctx = this.writeContext(ctx, q, sub);
        const out = await this.opts.api.createSubresource(t, info.name, sub, obj, wctx);
        setWarnings(ctx, wctx.warnings);
        this.write(ctx.res, 201, out, n.encoding);
        return;
      }
      case 'update': {
        const n = this.negotiate(ctx, false);
        const q = writeQuery(ctx.url.searchParams, 'UpdateOptions');
        const obj = await this.readObject(ctx, expected, sameKind ? t.res.typeRef : undefined);
        checkName(obj, info.name);
        const wctx = this.writeContext(ctx, q, sub);
        const result = await this.opts.api.updateSubresource(t, info.name, sub, obj, wctx);
        setWarnings(ctx, wctx.warnings);
        this.write(ctx.res, result.created ? 201 : 200, result.object, n.encoding);
        return;
      }
      case 'patch':
        return this.patch(ctx, t, sub);
      default:
        throw methodNotSupported();
    }
  }
}

function dryRunInBody(body: Obj | undefined): boolean {
  const v = body?.['dryRun'];
  return Array.isArray(v) && v.length > 0;
}

function metadataOf(obj: Obj): Obj {
  const m = obj['metadata'];
  return m && typeof m === 'object' && !Array.isArray(m) ? (m as Obj) : {};
}

/** upstream (handlers/create.go, update.go): the body's namespace must match the URL's, and is set from it when empty. */
function checkNamespace(obj: Obj, t: Target): void {
  if (!t.res.namespaced) return;
  const meta = metadataOf(obj);
  const ns = meta['namespace'];
  if (ns !== undefined && ns !== '' && ns !== t.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  obj['metadata'] = { ...meta, namespace: t.namespace };
}

function checkName(obj: Obj, name: string): void {
  const meta = metadataOf(obj);
  const got = meta['name'];
  if (got !== undefined && got !== '' && got !== name) throw badRequest(`the name of the object (${String(got)}) does not match the name on the URL (${name})`);
  obj['metadata'] = { ...meta, name };
}
