export { openApiV3Document, openApiV3DocumentJson, openApiV3Index, type OpenApiDocument, type OpenApiOptions } from './document.js';
export { schemaName } from './names.js';
