// What token authentication and TokenRequest need to know about live objects. The server
// implements it from the registry's cache; each method may answer synchronously or not.

export interface LiveObject {
  uid: string;
  /** RFC 3339; set while the object is being deleted. */
  deletionTimestamp?: string;
}

export interface LivePod extends LiveObject {
  nodeName?: string;
  serviceAccountName?: string;
}

export interface LiveSecret extends LiveObject {
  /** data.token decoded, for Secrets of type kubernetes.io/service-account-token. */
  token?: string;
  labels?: Record<string, string>;
}

type MaybePromise<T> = T | Promise<T>;

export interface ServiceAccountLookup {
  getServiceAccount(namespace: string, name: string): MaybePromise<LiveObject | undefined>;
  getPod(namespace: string, name: string): MaybePromise<LivePod | undefined>;
  getSecret(namespace: string, name: string): MaybePromise<LiveSecret | undefined>;
  getNode(name: string): MaybePromise<LiveObject | undefined>;
}
