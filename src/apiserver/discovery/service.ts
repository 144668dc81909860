// Serves discovery: `/api`, `/apis`, `/apis/<group>`, `/api/v1`, `/apis/<group>/<version>` in the
// legacy forms, and `/api`, `/apis` as aggregated discovery when the client asks for
// APIGroupDiscoveryList. Documents are rendered once and re-rendered when the catalog changes.
import { createHash } from 'node:crypto';
import type { ResourceDef } from '../schema/types.js';
import { type GroupVersionOrder, AGGREGATED_CONTENT_TYPE, aggregatedDiscovery, apiGroupDocument, apiGroupList, apiResourceList, apiVersions } from './documents.js';

export interface DiscoveryResponse {
  contentType: string;
  body: string;
  etag?: string;
}

interface Source {
  resources(): ResourceDef[];
  groupVersions?(): GroupVersionOrder[];
  onChange?(listener: () => void): (() => void) | void;
}

export class DiscoveryService {
  private cache = new Map<string, DiscoveryResponse | null>();
  private readonly unsubscribe: (() => void) | void;

  constructor(private readonly source: Source) {
    this.unsubscribe = source.onChange?.(() => this.cache.clear());
  }

  close(): void {
    if (typeof this.unsubscribe === 'function') this.unsubscribe();
  }

  private cached(key: string, make: () => object | undefined, contentType = 'application/json'): DiscoveryResponse | undefined {
    if (!this.cache.has(key)) {
      const doc = make();
      if (!doc) this.cache.set(key, null);
      else {
        const body = JSON.stringify(doc);
        // Upstream's aggregated discovery ETag is a quoted hash of the document.
        const etag = `"${createHash('sha512').update(body).digest('hex').slice(0, 64)}"`;
        this.cache.set(key, { contentType, body, etag });
      }
    }
    return this.cache.get(key) ?? undefined;
  }

  /**
   * The discovery response for `path` (already known to be a discovery path), or undefined when no
   * such group/version is served. `aggregated` selects APIGroupDiscoveryList for /api and /apis.
   */
  respond(path: string, aggregated: 'v2' | 'v2beta1' | undefined, serverAddress: string): DiscoveryResponse | undefined {
    const parts = path.replace(/^\/+|\/+$/g, '').split('/');
    const resources = () => this.source.resources();
    const order = () => this.source.groupVersions?.();
    if (parts.length === 1 && (parts[0] === 'api' || parts[0] === 'apis')) {
      if (aggregated) {
        const which = parts[0];
        return this.cached(`agg:${which}:${aggregated}`, () => aggregatedDiscovery(resources(), which, aggregated, order()), AGGREGATED_CONTENT_TYPE(aggregated));
      }
      if (parts[0] === 'api') return { contentType: 'application/json', body: JSON.stringify(apiVersions(serverAddress)) };
      return this.cached('apis', () => apiGroupList(resources(), order()));
    }
    if (parts[0] === 'api' && parts.length === 2) return this.cached(`rl::${parts[1]}`, () => apiResourceList(resources(), '', parts[1]));
    if (parts[0] === 'apis' && parts.length === 2) return this.cached(`g:${parts[1]}`, () => apiGroupDocument(resources(), parts[1], order()));
    if (parts[0] === 'apis' && parts.length === 3) return this.cached(`rl:${parts[1]}:${parts[2]}`, () => apiResourceList(resources(), parts[1], parts[2]));
    return undefined;
  }
}
