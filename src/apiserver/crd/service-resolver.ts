// The webhook service resolver of an EKS control plane. EKS API servers reach webhooks at their
// pods' IPs (the VPC routes them; hybrid nodes must make their pod CIDR routable for webhooks),
// which is kube-apiserver's endpoint routing (--enable-aggregator-routing): aggregator's
// NewEndpointServiceResolver / proxy.ResolveEndpoint over the Service's EndpointSlices. Vanilla
// kube-apiserver's default dials the ClusterIP instead; the outcome for a client is the same dial.
import type { ServiceDial, ServiceResolver } from './conversion-webhook.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

export interface ServiceLookup {
  /** The Service, or undefined when it does not exist. */
  service(namespace: string, name: string): Promise<Obj | undefined>;
  /** The EndpointSlices labelled kubernetes.io/service-name=<name>. */
  endpointSlices(namespace: string, name: string): Promise<Obj[]>;
}

export function endpointServiceResolver(lookup: ServiceLookup): ServiceResolver {
  return async (namespace, name, port): Promise<ServiceDial> => {
    const svc = await lookup.service(namespace, name);
    if (!svc) return { error: `service ${JSON.stringify(name)} not found` };
    const spec = isObj(svc.spec) ? svc.spec : {};
    const type = typeof spec.type === 'string' ? spec.type : '';
    if (type !== 'ClusterIP' && type !== 'LoadBalancer' && type !== 'NodePort') return { error: `unsupported service type ${JSON.stringify(type)}` };
    const svcPort = list(spec.ports).find((p) => p.port === port);
    const unavailable = { error: `no endpoints available for service ${JSON.stringify(name)}` };
    if (!svcPort) return { error: `no service port ${port} found for service ${JSON.stringify(name)}` };
    const slices = await lookup.endpointSlices(namespace, name);
    if (slices.length === 0) return unavailable;
    const family = Array.isArray(spec.ipFamilies) && typeof spec.ipFamilies[0] === 'string' ? spec.ipFamilies[0] : undefined;
    // The service's primary IP family first.
    const ordered = family ? [...slices].sort((a, b) => Number(b.addressType === family) - Number(a.addressType === family)) : slices;
    const portName = typeof svcPort.name === 'string' ? svcPort.name : '';
    for (const slice of ordered) {
      for (const p of list(slice.ports)) {
        if ((typeof p.name === 'string' ? p.name : undefined) !== portName || typeof p.port !== 'number') continue;
        for (const ep of list(slice.endpoints)) {
          const ready = isObj(ep.conditions) ? ep.conditions.ready : undefined;
          const address = Array.isArray(ep.addresses) ? ep.addresses[0] : undefined;
          if ((ready === undefined || ready === null || ready === true) && typeof address === 'string') {
            // Nothing listens at a pod IP in Kumo: no container process runs.
            return { host: address, port: p.port, simulatedRefusal: true };
          }
        }
      }
    }
    return unavailable;
  };
}
