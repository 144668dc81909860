// Patch types of the PATCH verb and the schema walker they share.
export { applyJsonPatch, decodeJsonPatch, JsonPatchOperationError, type JsonPatchOperation } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge.js';
export { checkPatchedObjectIdentity, type RequestTarget } from './identity.js';
export { catalogSchema } from './catalog-schema.js';
export { crdSchema } from './crd-schema.js';
export { ANY_NODE, type SchemaKind, type SchemaNode } from './schema-node.js';
