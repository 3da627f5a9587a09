import SwaggerParser from '@apidevtools/swagger-parser';
import type { RouteOptions } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, closeTestApp, type TestContext } from './helpers/app.ts';

const routes: RouteOptions[] = [];
let context: TestContext;

beforeAll(async () => {
  context = await buildTestApp({}, { onRoute: (route) => void routes.push(route) });
});
afterAll(async () => closeTestApp(context));

async function fetchDocument(): Promise<OpenAPIV3.Document> {
  const response = await context.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** Fastify's `/a/:id` as OpenAPI's `/a/{id}`. */
function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3 document', async () => {
    const document = await fetchDocument();
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
  });

  it('describes every documented route with its method and responses', async () => {
    const document = await fetchDocument();
    const documented = routes.filter((route) => !route.schema?.hide && !route.url.startsWith('/docs'));
    expect(documented.length).toBeGreaterThan(0);
    for (const route of documented) {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((method) => method !== 'HEAD');
      for (const method of methods) {
        const operation = document.paths[openApiPath(route.url)]?.[method.toLowerCase() as OpenAPIV3.HttpMethods];
        expect(operation, `${method} ${route.url}`).toBeDefined();
        expect(Object.keys(operation?.responses ?? {}), `${method} ${route.url} responses`).not.toHaveLength(0);
      }
    }
  });

  it('declares the session cookie security scheme', async () => {
    const document = await fetchDocument();
    expect(document.components?.securitySchemes?.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'umbra_sid' });
  });

  it('serves interactive documentation at /docs', async () => {
    const page = await context.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('swagger-ui');
    const initializer = await context.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).toContain('/openapi.json');
  });
});
