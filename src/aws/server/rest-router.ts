// A small router for restJson1 services: `GET /clusters/{name}` style patterns from the model,
// path labels percent-decoded. Unmatched requests get UnknownOperationException as AWS answers.
import { AwsError } from '../errors.js';
import type { RestJsonHandler, RestJsonRequest, RestJsonResponse } from './services.js';

export type RouteHandler = (req: RestJsonRequest, params: Record<string, string>) => Promise<RestJsonResponse>;

interface Route {
  /** The path up to its first label: a cheap test before the pattern. */
  prefix: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

export class RestRouter {
  /** Routes by method, in the order added. */
  private readonly routes = new Map<string, Route[]>();

  add(method: string, path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const src = path
      .split('/')
      .map((seg) => {
        const m = /^\{([^}+]+)(\+)?\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]);
        return m[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    const label = path.indexOf('{');
    const list = this.routes.get(method) ?? [];
    list.push({ prefix: label < 0 ? path : path.slice(0, label), pattern: new RegExp(`^${src}/?$`), names, handler });
    this.routes.set(method, list);
    return this;
  }

  readonly handle: RestJsonHandler = async (req) => {
    for (const r of this.routes.get(req.method) ?? []) {
      if (!req.rawPath.startsWith(r.prefix)) continue;
      const m = r.pattern.exec(req.rawPath);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return r.handler(req, params);
    }
    throw new AwsError('UnknownOperationException', '', 404);
  };
}
