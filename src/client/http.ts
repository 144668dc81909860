// The HTTP client: the KubeClient contract over HTTPS to a Kubernetes API server (Kumo's or any
// other), with a bearer token and the cluster's CA. JSON bodies; watches read the server's
// newline-delimited JSON event stream; failures become ApiErrors carrying the server's Status (or,
// for a non-Status body, the Status client-go makes from the HTTP code).
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../api/status.js';
import type { Status, StatusReason } from '../api/status.js';
import type { DeleteOptions, KubeClient, ListOpts, Obj, ObjList, PatchOpts, PatchType, ResourceClient, ResourceInfo, WatchEvent, WatchOpts, WriteOpts } from './types.js';
import { withDeleteOptions } from './delete-options.js';

export interface HttpClientOptions {
  /** https://host:port */
  server: string;
  /** Bearer token. */
  token: string;
  /** The cluster CA: PEM text or bytes, or base64 of the PEM (as kubeconfig's certificate-authority-data). */
  caData: Buffer | string;
  userAgent?: string;
  /** Timeout of a non-watch request, ms. Default 60 s. */
  requestTimeoutMs?: number;
}

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** The reason client-go gives a failure whose body is not a Status (errors.NewGenericServerResponse). */
const REASON_BY_CODE: Record<number, [StatusReason, string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
  403: ['Forbidden', 'the server does not allow access to the requested resource'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  406: ['NotAcceptable', 'the server was unable to respond with a content type that the client supports'],
  409: ['Conflict', 'the server reported a conflict'],
  410: ['Gone', 'the server responded with the status code 410 but did not return more information'],
  413: ['RequestEntityTooLarge', 'the server has rejected the request because it is too large'],
  415: ['UnsupportedMediaType', 'the server was unable to respond with a content type that the client supports'],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  500: ['InternalError', 'an error on the server has prevented the request from succeeding'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
};

function caPem(ca: Buffer | string): string {
  const text = Buffer.isBuffer(ca) ? ca.toString('utf8') : ca;
  if (text.includes('-----BEGIN')) return text;
  return Buffer.from(text.trim(), 'base64').toString('utf8');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorFromResponse(code: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (isRecord(parsed) && parsed.kind === 'Status') {
      const status = parsed as unknown as Status;
      if (typeof status.code !== 'number' || status.code === 0) status.code = code;
      return new ApiError(status);
    }
  } catch {
    // Not JSON: fall through.
  }
  const [reason, message] = REASON_BY_CODE[code] ?? (code >= 500 ? ['InternalError', 'an error on the server has prevented the request from succeeding'] : ['', `the server responded with the status code ${code} but did not return more information`]);
  const text = body.trim();
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: text && text.length < 1024 ? `${message} (${text})` : message, reason, code });
}

interface Req {
  method: string;
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  contentType?: string;
}

function metaOf(obj: Obj): Record<string, unknown> {
  return isRecord(obj.metadata) ? obj.metadata : {};
}

function listQuery(opts: ListOpts | undefined, q = new URLSearchParams()): URLSearchParams {
  if (!opts) return q;
  if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
  if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
  if (opts.limit !== undefined) q.set('limit', String(opts.limit));
  if (opts.continue) q.set('continue', opts.continue);
  if (opts.resourceVersion !== undefined) q.set('resourceVersion', opts.resourceVersion);
  if (opts.resourceVersionMatch) q.set('resourceVersionMatch', opts.resourceVersionMatch);
  return q;
}

function writeQuery(opts: WriteOpts | undefined, q = new URLSearchParams()): URLSearchParams {
  if (opts?.dryRun) q.set('dryRun', 'All');
  if (opts?.fieldManager) q.set('fieldManager', opts.fieldManager);
  q.set('fieldValidation', opts?.fieldValidation ?? 'Strict');
  return q;
}

function deleteBody(opts: DeleteOptions | undefined): Obj {
  return withDeleteOptions<Obj>({ kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1' }, opts);
}

class Transport {
  private readonly agent: Agent;
  private readonly base: URL;
  constructor(private readonly opts: HttpClientOptions) {
    this.base = new URL(opts.server);
    this.agent = new Agent({ keepAlive: true, ca: caPem(opts.caData) });
  }

  private start(req: Req, signal?: AbortSignal): Promise<IncomingMessage> {
    const query = req.query?.toString();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.opts.token}`,
      'User-Agent': this.opts.userAgent ?? 'kumo',
    };
    let payload: Buffer | undefined;
    if (req.body !== undefined) {
      payload = Buffer.from(JSON.stringify(req.body));
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const r = request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port,
          method: req.method,
          path: `${this.base.pathname.replace(/\/$/, '')}${req.path}${query ? `?${query}` : ''}`,
          headers,
          agent: this.agent,
          signal,
          timeout: signal ? undefined : (this.opts.requestTimeoutMs ?? 60_000),
        },
        resolve,
      );
      r.on('error', reject);
      r.on('timeout', () => r.destroy(new Error(`request to ${req.path} timed out`)));
      r.end(payload);
    });
  }

  /** A request whose JSON answer is returned; non-2xx answers throw ApiError. */
  async call(req: Req): Promise<Obj> {
    const res = await this.start(req);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) throw errorFromResponse(code, text);
    return text ? (JSON.parse(text) as Obj) : {};
  }

  /** A watch: one JSON event per line until the server ends the stream or `signal` aborts. */
  async *stream(req: Req, signal: AbortSignal): AsyncGenerator<WatchEvent> {
    if (signal.aborted) return;
    let res: IncomingMessage;
    try {
      res = await this.start(req, signal);
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw errorFromResponse(code, Buffer.concat(chunks).toString('utf8'));
    }
    res.setEncoding('utf8');
    let buffered = '';
    try {
      for await (const chunk of res) {
        buffered += chunk as string;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          const ev = JSON.parse(line) as { type: string; object: Obj };
          if (ev.type === 'ERROR') throw new ApiError(ev.object as unknown as Status);
          yield ev as WatchEvent;
        }
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // The connection going away mid-stream ends the watch like the server closing it (client-go's
      // StreamWatcher treats EOF and resets alike): the caller resumes from its last resourceVersion.
      if (signal.aborted || (err as NodeJS.ErrnoException).code === 'ECONNRESET' || (err as Error).message === 'aborted') return;
      throw err;
    } finally {
      res.destroy();
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

class HttpResource implements ResourceClient {
  private readonly prefix: string;
  constructor(
    private readonly t: Transport,
    group: string,
    version: string,
    private readonly resource: string,
  ) {
    this.prefix = group ? `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}` : `/api/${encodeURIComponent(version)}`;
  }

  private path(ns: string | undefined, name?: string, subresource?: string): string {
    let p = this.prefix;
    if (ns) p += `/namespaces/${encodeURIComponent(ns)}`;
    p += `/${encodeURIComponent(this.resource)}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${encodeURIComponent(subresource)}`;
    return p;
  }

  get(ns: string | undefined, name: string): Promise<Obj> {
    return this.t.call({ method: 'GET', path: this.path(ns, name) });
  }

  async list(ns: string | undefined, opts?: ListOpts): Promise<ObjList> {
    return (await this.t.call({ method: 'GET', path: this.path(ns), query: listQuery(opts) })) as unknown as ObjList;
  }

  watch(ns: string | undefined, opts: WatchOpts): AsyncIterable<WatchEvent> {
    const q = listQuery({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, resourceVersion: opts.resourceVersion, resourceVersionMatch: opts.resourceVersionMatch });
    q.set('watch', 'true');
    if (opts.allowWatchBookmarks) q.set('allowWatchBookmarks', 'true');
    if (opts.sendInitialEvents !== undefined) q.set('sendInitialEvents', String(opts.sendInitialEvents));
    if (opts.sendInitialEvents && !opts.resourceVersionMatch) q.set('resourceVersionMatch', 'NotOlderThan');
    if (opts.timeoutSeconds !== undefined) q.set('timeoutSeconds', String(opts.timeoutSeconds));
    return this.t.stream({ method: 'GET', path: this.path(ns), query: q }, opts.signal);
  }

  create(ns: string | undefined, obj: Obj, opts?: WriteOpts): Promise<Obj> {
    const namespace = ns ?? (metaOf(obj).namespace as string | undefined);
    return this.t.call({ method: 'POST', path: this.path(namespace), query: writeQuery(opts), body: obj });
  }

  private put(ns: string | undefined, obj: Obj, opts: WriteOpts | undefined, subresource?: string): Promise<Obj> {
    const namespace = ns ?? (metaOf(obj).namespace as string | undefined);
    const name = metaOf(obj).name;
    if (typeof name !== 'string' || !name) throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'name is required to update an object', reason: 'BadRequest', code: 400 });
    return this.t.call({ method: 'PUT', path: this.path(namespace, name, subresource), query: writeQuery(opts), body: obj });
  }

  update(ns: string | undefined, obj: Obj, opts?: WriteOpts): Promise<Obj> {
    return this.put(ns, obj, opts);
  }

  updateStatus(ns: string | undefined, obj: Obj, opts?: WriteOpts): Promise<Obj> {
    return this.put(ns, obj, opts, 'status');
  }

  patch(ns: string | undefined, name: string, type: PatchType, body: unknown, opts?: PatchOpts): Promise<Obj> {
    const q = writeQuery(opts);
    if (opts?.force !== undefined && type === 'apply') q.set('force', String(opts.force));
    return this.t.call({ method: 'PATCH', path: this.path(ns, name, opts?.subresource), query: q, body, contentType: PATCH_CONTENT_TYPES[type] });
  }

  delete(ns: string | undefined, name: string, opts?: DeleteOptions): Promise<Obj> {
    const q = new URLSearchParams();
    if (opts?.dryRun) q.set('dryRun', 'All');
    return this.t.call({ method: 'DELETE', path: this.path(ns, name), query: q, body: deleteBody(opts) });
  }

  async deleteCollection(ns: string | undefined, listOpts?: ListOpts, deleteOpts?: DeleteOptions): Promise<ObjList> {
    const q = listQuery(listOpts);
    if (deleteOpts?.dryRun) q.set('dryRun', 'All');
    return (await this.t.call({ method: 'DELETE', path: this.path(ns), query: q, body: deleteBody(deleteOpts) })) as unknown as ObjList;
  }

  async bind(ns: string, podName: string, nodeName: string, opts?: WriteOpts & { uid?: string }): Promise<void> {
    const metadata: Obj = { name: podName, namespace: ns };
    if (opts?.uid) metadata.uid = opts.uid;
    const body = { apiVersion: 'v1', kind: 'Binding', metadata, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } };
    await this.t.call({ method: 'POST', path: this.path(ns, podName, 'binding'), query: writeQuery(opts), body });
  }

  async evict(ns: string, podName: string, deleteOptions?: DeleteOptions): Promise<void> {
    const body: Obj = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: podName, namespace: ns } };
    if (deleteOptions) body.deleteOptions = deleteBody(deleteOptions);
    const q = new URLSearchParams();
    if (deleteOptions?.dryRun) q.set('dryRun', 'All');
    await this.t.call({ method: 'POST', path: this.path(ns, podName, 'eviction'), query: q, body });
  }

  getScale(ns: string | undefined, name: string): Promise<Obj> {
    return this.t.call({ method: 'GET', path: this.path(ns, name, 'scale') });
  }

  updateScale(ns: string | undefined, name: string, scale: Obj, opts?: WriteOpts): Promise<Obj> {
    return this.t.call({ method: 'PUT', path: this.path(ns, name, 'scale'), query: writeQuery(opts), body: scale });
  }
}

/** Discovery: /api and /apis, then each group-version's APIResourceList. */
async function discover(t: Transport): Promise<ResourceInfo[]> {
  const gvs: { group: string; version: string; path: string }[] = [];
  const core = await t.call({ method: 'GET', path: '/api' });
  for (const v of (core.versions as string[] | undefined) ?? []) gvs.push({ group: '', version: v, path: `/api/${v}` });
  const groups = await t.call({ method: 'GET', path: '/apis' });
  for (const g of (groups.groups as { name: string; versions: { version: string }[] }[] | undefined) ?? []) {
    for (const v of g.versions) gvs.push({ group: g.name, version: v.version, path: `/apis/${g.name}/${v.version}` });
  }
  const lists = await Promise.all(gvs.map(async (gv) => ({ gv, list: await t.call({ method: 'GET', path: gv.path }) })));
  const out: ResourceInfo[] = [];
  for (const { gv, list } of lists) {
    const entries = (list.resources as { name: string; namespaced: boolean; kind: string; verbs: string[] }[] | undefined) ?? [];
    const subresources = new Map<string, string[]>();
    for (const e of entries) {
      const [base, sub] = e.name.split('/', 2);
      if (sub) subresources.set(base, [...(subresources.get(base) ?? []), sub]);
    }
    for (const e of entries) {
      if (e.name.includes('/')) continue;
      out.push({ group: gv.group, version: gv.version, resource: e.name, kind: e.kind, namespaced: e.namespaced, verbs: [...(e.verbs ?? [])], subresources: subresources.get(e.name) ?? [] });
    }
  }
  return out;
}

export interface HttpKubeClient extends KubeClient {
  /** Closes the kept-alive connections (open watches end). */
  close(): void;
}

export function createHttpClient(opts: HttpClientOptions): HttpKubeClient {
  const t = new Transport(opts);
  const clients = new Map<string, ResourceClient>();
  return {
    resource(group: string, version: string, resource: string): ResourceClient {
      const key = `${group}/${version}/${resource}`;
      let c = clients.get(key);
      if (!c) clients.set(key, (c = new HttpResource(t, group, version, resource)));
      return c;
    },
    resources: () => discover(t),
    close: () => t.close(),
  };
}
