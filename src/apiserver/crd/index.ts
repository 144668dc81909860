// CustomResourceDefinitions: validation of CRDs, the structural-schema engine of custom objects,
// their REST resources, Table output and scale mapping, and the controller that serves them.
export { validateCustomResourceDefinition, validateCustomResourceDefinitionStatusUpdate } from './crd-validation.js';
export { CustomResourceSchema, type CustomResourceSchemaOptions } from './schema.js';
export { crdResourceDefs, crdTypeRef, listTypeRef, servedNames, storageVersion, CUSTOM_RESOURCE_VERBS } from './resources.js';
export { scaleFromObject, setSpecReplicas, scalePaths, ScalePathError, type ScalePaths } from './scale.js';
export { crdTable, crdTableColumns, crdPrinterColumns, type CrdTableOptions } from './table.js';
export { CrdController, type CrdBackend, type CrdEventType, type ServedVersion } from './controller.js';
export { customResourceHooks, type CustomResourceHandlers, type CustomResourceHooks } from './hooks.js';
export { prepareCrdForCreate, prepareCrdForUpdate, prepareCrdForDelete } from './strategy.js';
export { CLEANUP_FINALIZER, CRD_GROUP, type CustomResourceDefinition, type JSONSchemaProps } from './types.js';
export { registryCrdBackend, type CrdRegistry } from './registry-backend.js';
export { startCustomResources, type CustomResources } from './install.js';
export { crdOpenAPIV3Schemas, type CrdOpenAPISchemas } from './openapi.js';
