// @peculiar/x509 depends on tsyringe, which refuses to load unless the `reflect-metadata` API
// (Reflect.getMetadata & co.) exists. That package is not a dependency, so this module installs the
// small subset tsyringe calls, on a WeakMap. It must be imported before '@peculiar/x509'.
type Key = string | symbol;
type Target = object;

const store = new WeakMap<Target, Map<Key | undefined, Map<unknown, unknown>>>();

function table(target: Target, property: Key | undefined, create: boolean): Map<unknown, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let entries = byProperty.get(property);
  if (!entries && create) {
    entries = new Map();
    byProperty.set(property, entries);
  }
  return entries;
}

const api = {
  defineMetadata(key: unknown, value: unknown, target: Target, property?: Key): void {
    table(target, property, true)!.set(key, value);
  },
  getOwnMetadata(key: unknown, target: Target, property?: Key): unknown {
    return table(target, property, false)?.get(key);
  },
  getMetadata(key: unknown, target: Target, property?: Key): unknown {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t)) {
      const entries = table(t, property, false);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  },
};

const reflect = Reflect as unknown as Record<string, unknown>;
for (const [name, fn] of Object.entries(api)) {
  if (typeof reflect[name] !== 'function') reflect[name] = fn;
}
