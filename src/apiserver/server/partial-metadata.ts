// `as=PartialObjectMetadata[List]` responses: objects reduced to their metadata
// (k8s.io/apimachinery/pkg/apis/meta/v1 PartialObjectMetadata), as the garbage collector and
// metadata informers ask for.

type Obj = Record<string, unknown>;

export function toPartialObjectMetadata(obj: Obj, version: 'v1' | 'v1beta1'): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj['metadata'] ?? {} };
}

export function toPartialObjectMetadataList(list: Obj, version: 'v1' | 'v1beta1'): Obj {
  const items = Array.isArray(list['items']) ? (list['items'] as Obj[]) : [];
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: list['metadata'] ?? {},
    items: items.map((i) => toPartialObjectMetadata(i, version)),
  };
}
