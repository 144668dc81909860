// kube-apiserver's default webhook service resolver (--enable-aggregator-routing=false):
// aggregator's NewClusterIPServiceResolver / ResolveCluster. A service reference becomes the
// Service's ClusterIP and port; ExternalName services dial the external name.
import type { ServiceDial, ServiceResolver } from './conversion-webhook.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `getService` answers undefined for a Service that does not exist. */
export function clusterIPServiceResolver(getService: (namespace: string, name: string) => Promise<Obj | undefined>): ServiceResolver {
  return async (namespace, name, port): Promise<ServiceDial> => {
    const svc = await getService(namespace, name);
    if (!svc) return { error: `service ${JSON.stringify(name)} not found` };
    const spec = isObj(svc.spec) ? svc.spec : {};
    const type = typeof spec.type === 'string' && spec.type ? spec.type : 'ClusterIP';
    const clusterIP = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
    if (type === 'ClusterIP' && clusterIP === 'None') return { error: 'cannot route to service with ClusterIP "None"' };
    if (type === 'ClusterIP' || type === 'LoadBalancer' || type === 'NodePort') {
      const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObj) : [];
      const found = ports.find((p) => p.port === port);
      if (!found) return { error: `no service port ${port} found for service ${JSON.stringify(name)}` };
      // Nothing listens behind a ClusterIP in Kumo: no pod process runs.
      return { host: clusterIP, port, simulatedRefusal: true };
    }
    if (type === 'ExternalName') return { host: typeof spec.externalName === 'string' ? spec.externalName : '', port };
    return { error: `unsupported service type ${JSON.stringify(type)}` };
  };
}
