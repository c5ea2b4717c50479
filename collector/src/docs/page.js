// The API reference page (GET /docs): Swagger UI on this collector's own /openapi.json.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: false,
});
