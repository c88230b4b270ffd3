/**
 * The API's own description: the OpenAPI 3.0 document (`service-desc` of the OGC landing page)
 * and a plain HTML page listing the operations (`service-doc`), both built once at start-up.
 */
import { Router } from 'express';
import { z } from 'zod';
import { buildOpenApiDocument, OPENAPI_MEDIA_TYPE, type ApiOperation } from './openapi.js';
import { parseRequest } from './validate.js';

/** OGC clients may ask for `f=json` on any resource; HTML is the page's own URL. */
export const JsonFormatQuerySchema = z.strictObject({
  f: z.enum(['json']).optional().describe('response format: json (the only one)'),
});

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function operationsPage(document: ReturnType<typeof buildOpenApiDocument>): string {
  const rows: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, { summary?: string }>)) {
      rows.push(
        `<tr><td>${method.toUpperCase()}</td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}</td></tr>`,
      );
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(document.info.title)}</title></head>
<body><h1>${escapeHtml(document.info.title)}</h1><p>${escapeHtml(document.info.description ?? '')}</p>
<p>Machine-readable: <a href="openapi.json">OpenAPI 3.0 document</a>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Summary</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></body></html>`;
}

export function apiDescriptionRouter(operations: ApiOperation[]): Router {
  const router = Router();
  const document = buildOpenApiDocument([...operations, ...API_DESCRIPTION_OPERATIONS]);
  const json = Buffer.from(JSON.stringify(document));
  const page = operationsPage(document);
  router.get('/openapi.json', (req, res) => {
    parseRequest(JsonFormatQuerySchema, req.query);
    // Set as is: res.type()/send() would rewrite it as "…; version=3.0; charset=utf-8", and OGC
    // clients compare the media type the landing page names.
    res.set('Cache-Control', 'no-cache').setHeader('Content-Type', OPENAPI_MEDIA_TYPE);
    res.end(json);
  });
  router.get('/docs', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('html').send(page);
  });
  return router;
}

export const API_DESCRIPTION_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This OpenAPI 3.0 document',
    tags: ['service'],
    query: JsonFormatQuerySchema,
    offline: true,
    responses: {
      '200': {
        description: 'The OpenAPI document',
        contentType: OPENAPI_MEDIA_TYPE,
        schema: z.record(z.string(), z.unknown()),
      },
    },
  },
  {
    method: 'get',
    path: '/api/docs',
    summary: 'The operations as an HTML page',
    tags: ['service'],
    offline: true,
    responses: { '200': { description: 'HTML', contentType: 'text/html' } },
  },
];
