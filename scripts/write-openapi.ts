// npm run build's last step: the OpenAPI document, as GET /openapi.json serves it, written to dist/openapi.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { openApiDocument } from '../collector/src/openapi/document.ts';

const { json, operations, schemas } = openApiDocument();
mkdirSync('dist', { recursive: true });
writeFileSync('dist/openapi.json', JSON.stringify(JSON.parse(json), null, 2) + '\n');
console.log(`dist/openapi.json: ${operations} operations, ${schemas} named schemas, ${Buffer.byteLength(json)} bytes`);
