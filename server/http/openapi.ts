import { Router } from 'express';
import { z } from 'zod';

/** One documented endpoint; modules export arrays of these next to their routes. */
export interface ApiOperation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI path, e.g. /api/collections/{collectionId}/items */
  path: string;
  summary: string;
  tags?: string[];
  query?: z.ZodObject;
  body?: z.ZodType;
  responses?: Record<string, string>;
}

function queryParameters(schema: z.ZodObject) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description: property.description,
    schema: property,
  }));
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

/** Builds the OpenAPI 3.1 document from the same zod schemas that validate requests. */
export function buildOpenApiDocument(operations: ApiOperation[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [...pathParameters(op.path), ...(op.query ? queryParameters(op.query) : [])];
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      tags: op.tags,
      parameters,
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }),
                },
              },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(op.responses ?? { '200': 'OK' }).map(([code, description]) => [
          code,
          { description },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'warm-posts API',
      version: '0.1.0',
      description:
        'Rest stations for outdoor workers. Coordinates are WGS-84 [lng, lat]; errors are JSON { error }.',
    },
    paths,
  };
}

export function openApiRouter(operations: ApiOperation[]): Router {
  const router = Router();
  const document = buildOpenApiDocument(operations);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}
