// GET /openapi.json (the API described for machines, with a strong ETag) and GET /docs (the same for people: Swagger UI,
// served from the swagger-ui-dist package, no CDN). Public: the document holds no brand's data.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import express, { type RequestHandler } from 'express';
import { openApiDocument } from '../../openapi/document.ts';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

// The package's folder, from its absolute-path helper alone: its index also evaluates the 1.5 MB browser bundle, about
// 0.3 s of every start (of the collector, and of each test file that imports the app).
const swaggerUiDir: string = (createRequire(import.meta.url)('swagger-ui-dist/absolute-path.js') as () => string)();
const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js'];
/** The page's own script (swagger-ui's initializer pointed at our document), outside the inline scripts the CSP refuses. */
const pageDir = join(import.meta.dirname, '../../docs');

// Swagger UI draws with inline styles and data: images; everything else comes from this server.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Referloop API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${DOCS_PATH}/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/assets/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/page.js"></script>
</body>
</html>
`;

/** The document, 304 when the client's If-None-Match names its ETag. */
export const openApiHandler: RequestHandler = (req, res) => {
  const { json, etag } = openApiDocument();
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Access-Control-Allow-Origin', '*');
  // If-None-Match compares weakly (RFC 9110 13.1.2): a tag a proxy marked W/ still names this document.
  const asked = req.get('If-None-Match');
  if (asked && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(json);
};

export function docsRoutes(): express.Router {
  const router = express.Router();
  const secure: RequestHandler = (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  };
  router.get('/', secure, (_req, res) => { res.type('html').send(PAGE); });
  router.get('/page.js', secure, (_req, res) => { res.sendFile(join(pageDir, 'page.js')); });
  // Only the two files the page loads (the package also holds a demo index.html, OAuth pages, source maps).
  for (const file of SWAGGER_UI_FILES) router.get(`/assets/${file}`, secure, (_req, res) => { res.sendFile(join(swaggerUiDir, file)); });
  return router;
}
