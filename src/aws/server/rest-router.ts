// A small router for restJson1 services: `GET /clusters/{name}` style patterns from the model,
// path labels percent-decoded. Unmatched requests get UnknownOperationException as AWS answers.
import { AwsError } from '../errors.js';
import type { RestJsonHandler, RestJsonRequest, RestJsonResponse } from './services.js';

export type RouteHandler = (req: RestJsonRequest, params: Record<string, string>) => Promise<RestJsonResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

export class RestRouter {
  private readonly routes: Route[] = [];

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
    this.routes.push({ method, pattern: new RegExp(`^${src}/?$`), names, handler });
    return this;
  }

  readonly handle: RestJsonHandler = async (req) => {
    for (const r of this.routes) {
      if (r.method !== req.method) continue;
      const m = r.pattern.exec(req.rawPath);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return r.handler(req, params);
    }
    throw new AwsError('UnknownOperationException', '', 404);
  };
}
