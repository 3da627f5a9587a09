import { generate } from 'json-schema-faker';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { fixtureFactory } from './helpers/fixtures.ts';
import { type ApiOperation, fillPath, type JsonSchemaObject, loadOperations } from './helpers/openapi.ts';
import { registerUser, type SignedIn, uniqueEmail } from './helpers/users.ts';

// Seeded and bounded: the same requests on every run (FUZZ_SEED picks another sequence) and a few
// hundred requests in all, so CI stays fast. A failure prints the seed and the request to replay it.
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const VALID_CASES = 3;

const t = useTestApp();

type Case = { label: string; method: ApiOperation['method']; url: string; headers: Record<string, string>; payload?: string };
type Outcome = { operation: ApiOperation; request: Case; status: number; contentType: string; body: string };

let operations: ApiOperation[];
let fuzzer: SignedIn;
let other: SignedIn;
let fixtures: ReturnType<typeof fixtureFactory>;
let known: Record<string, unknown>;

beforeAll(async () => {
  fuzzer = await registerUser(t.app);
  other = await registerUser(t.app);
  operations = (await loadOperations(t.app)).filter(
    (operation) => operation.path.startsWith('/api') || operation.path.startsWith('/feeds/') || operation.path.endsWith('z'),
  );
  const settings = (await t.app.inject({ method: 'GET', url: '/api/settings', headers: fuzzer.headers })).json();
  const location = (await t.app.inject({ method: 'POST', url: '/api/locations', headers: fuzzer.headers, payload: { name: 'Fuzz HQ' } })).json();
  // Fields that must name something real to get past validation into the handlers.
  known = {
    email: other.email,
    calendar_id: settings.default_calendar_id,
    default_calendar_id: settings.default_calendar_id,
    location_id: location.id,
    timezone: 'America/New_York',
    start_at: '2026-12-01T09:00:00+01:00',
    end_at: '2026-12-01T10:30:00+01:00',
  };
  fixtures = fixtureFactory(t.app, operations, known);
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Values for the operation's path parameters. A feed's token exists only inside the URL that
 * POST /api/calendars/{id}/feed answers with, so it is issued for each request (replacing the last).
 */
async function pathValues(operation: ApiOperation, fresh = false): Promise<Record<string, string>> {
  if (!operation.path.startsWith('/feeds/')) return fixtures(operation.path, fuzzer, fresh);
  const response = await t.app.inject({ method: 'POST', url: `/api/calendars/${String(known.calendar_id)}/feed`, headers: fuzzer.headers });
  const url: unknown = response.json().url;
  const token = typeof url === 'string' ? /\/feeds\/([\w-]+)\.ics$/.exec(url)?.[1] : undefined;
  if (!token) throw new Error(`No feed URL to fuzz ${operation.path} with: ${response.body}`);
  return { token };
}

/** Auth routes that start or end sessions get their own, so the fuzzer's session survives. */
async function sessionHeaders(operation: ApiOperation): Promise<Record<string, string>> {
  if (operation.path === '/api/auth/logout') return { cookie: (await registerUser(t.app)).cookie };
  if (operation.path === '/api/auth/login' || operation.path === '/api/auth/register') return {};
  return { cookie: fuzzer.cookie };
}

async function validQuery(operation: ApiOperation, seed: number): Promise<string> {
  const pairs: string[] = [];
  for (const [index, parameter] of operation.queryParams.entries()) {
    // Optional parameters alternate in and out from one case to the next.
    if (!parameter.required && (seed + index) % 2 === 0) continue;
    const value = await generate(parameter.schema, { seed: seed + pairs.length });
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    pairs.push(`${parameter.name}=${encodeURIComponent(String(value))}`);
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

async function validCases(operation: ApiOperation): Promise<Case[]> {
  const cases: Case[] = [];
  for (let i = 0; i < VALID_CASES; i++) {
    const seed = SEED + i;
    // DELETE and nested POST get records of their own, so later requests still find theirs.
    const params = await pathValues(operation, operation.method === 'DELETE' || operation.method === 'POST');
    const url = fillPath(operation.path, params) + (await validQuery(operation, seed));
    const headers = await sessionHeaders(operation);
    // A few items per array (as in tests/isolation.test.ts): a schema allowing thousands (a key
    // rotation's files) would otherwise get tens of thousands, and the worker runs out of memory.
    const body = operation.body ? await generate(operation.body, { seed, optionalsProbability: 0.5, maxItems: 3 }) : undefined;
    // Every other case keeps the generated values, so both random and meaningful data get through.
    if (isRecord(body) && i % 2 === 0) {
      for (const key of Object.keys(body)) if (key in known) body[key] = known[key];
      if (operation.path === '/api/auth/register' && 'email' in body) body.email = uniqueEmail('fuzz');
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    cases.push({ label: `valid #${i}`, method: operation.method, url, headers: payload ? { ...headers, 'content-type': 'application/json' } : headers, payload });
  }
  return cases;
}

/** A value of another JSON type than the schema allows. */
function wrongType(schema: JsonSchemaObject): unknown {
  const types = JSON.stringify(schema);
  if (!types.includes('"object"')) return { fuzz: true };
  if (!types.includes('"string"')) return 'fuzz';
  return 12345;
}

function invalidBodies(schema: JsonSchemaObject, valid: Record<string, unknown>): Array<[string, string]> {
  const cases: Array<[string, string]> = [
    ['malformed JSON', '{"broken": '],
    ['an array body', '[]'],
    ['a string body', '"text"'],
    ['an unknown field', JSON.stringify({ ...valid, fuzz_unknown_field: 1 })],
  ];
  const properties = isRecord(schema.properties) ? schema.properties : {};
  for (const [name, property] of Object.entries(properties).slice(0, 6)) {
    if (!isRecord(property)) continue;
    cases.push([`${name} of the wrong type`, JSON.stringify({ ...valid, [name]: wrongType(property) })]);
    const maxLength = typeof property.maxLength === 'number' ? property.maxLength : undefined;
    if (maxLength !== undefined && maxLength < 20000) cases.push([`${name} too long`, JSON.stringify({ ...valid, [name]: 'x'.repeat(maxLength + 1) })]);
    if (typeof property.maximum === 'number') cases.push([`${name} above maximum`, JSON.stringify({ ...valid, [name]: property.maximum + 1 })]);
  }
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === 'string') : [];
  for (const name of required) {
    const { [name]: _dropped, ...rest } = valid;
    cases.push([`${name} missing`, JSON.stringify(rest)]);
  }
  return cases;
}

function isTyped(schema: JsonSchemaObject): boolean {
  return schema.type !== 'string' || 'enum' in schema || 'format' in schema || 'pattern' in schema || 'minLength' in schema;
}

async function invalidCases(operation: ApiOperation): Promise<Case[]> {
  const params = await pathValues(operation);
  const base = fillPath(operation.path, params);
  const headers = await sessionHeaders(operation);
  const json = { ...headers, 'content-type': 'application/json' };
  const cases: Case[] = [{ label: 'an unknown query parameter', method: operation.method, url: `${base}?fuzz_unknown=1`, headers }];
  for (const parameter of operation.queryParams.filter((candidate) => isTyped(candidate.schema))) {
    cases.push({ label: `query ${parameter.name} invalid`, method: operation.method, url: `${base}?${parameter.name}=%00fuzz`, headers });
  }
  for (const parameter of operation.pathParams) {
    cases.push({ label: `path ${parameter.name} malformed`, method: operation.method, url: fillPath(operation.path, { ...params, [parameter.name]: 'not-an-id' }), headers });
  }
  if (operation.method !== 'GET') {
    const generated = operation.body ? await generate(operation.body, { seed: SEED, optionalsProbability: 1, maxItems: 3 }) : {};
    const valid = isRecord(generated) ? generated : {};
    for (const [label, payload] of invalidBodies(operation.body ?? {}, valid)) cases.push({ label, method: operation.method, url: base, headers: json, payload });
    cases.push({ label: 'a non-JSON body', method: operation.method, url: base, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' });
  }
  return cases;
}

async function send(operation: ApiOperation, request: Case): Promise<Outcome> {
  const response = await t.app.inject({ method: request.method, url: request.url, headers: request.headers, payload: request.payload });
  return { operation, request, status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body: response.body };
}

/** The response must be one the operation declares: its status, its content type, its schema. */
function conformanceProblems(outcome: Outcome): string[] {
  const { operation, status, contentType, body } = outcome;
  const declared = operation.responses.get(status);
  if (status >= 500) return [`answered ${status}: ${body.slice(0, 300)}`];
  if (!declared) return [`answered ${status}, which is not declared (${[...operation.responses.keys()].join(', ')})`];
  if (declared.size === 0) return body === '' ? [] : [`answered ${status} with a body where none is declared`];
  const mediaType = contentType.split(';')[0]?.trim() ?? '';
  const validate = declared.get(mediaType);
  if (!validate) return [`answered ${status} as ${mediaType}, declared ${[...declared.keys()].join(', ')}`];
  // JSON bodies are validated parsed; any other declared type (text/calendar) as the text itself.
  const json = mediaType === 'application/json' || mediaType.endsWith('+json');
  if (validate(json ? JSON.parse(body) : body)) return [];
  return [`${status} body does not match its schema: ${JSON.stringify(validate.errors?.slice(0, 3))} in ${body.slice(0, 300)}`];
}

function report(failures: Array<{ outcome: Outcome; problem: string }>): string {
  return failures
    .slice(0, 15)
    .map(({ outcome, problem }) => `${outcome.request.method} ${outcome.request.url} (${outcome.request.label}, FUZZ_SEED=${SEED}) ${problem}\n    payload: ${outcome.request.payload?.slice(0, 200) ?? '-'}`)
    .join('\n');
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it('covers the whole API', () => {
    const paths = new Set(operations.map((operation) => operation.path));
    expect(paths).toContain('/api/todos/{id}');
    expect(paths).toContain('/api/settings');
    expect(paths).toContain('/api/calendars/{id}/ics');
    expect(paths).toContain('/feeds/{token}.ics');
    expect(operations.length).toBeGreaterThan(20);
  });

  it('answers valid requests without a 5xx, with a declared status and a body matching its schema', async () => {
    const failures: Array<{ outcome: Outcome; problem: string }> = [];
    let successes = 0;
    for (const operation of operations) {
      for (const request of await validCases(operation)) {
        const outcome = await send(operation, request);
        if (outcome.status < 300) successes++;
        for (const problem of conformanceProblems(outcome)) failures.push({ outcome, problem });
      }
    }
    expect(failures.length, report(failures)).toBe(0);
    // The generated data must reach the handlers, not only the validators.
    expect(successes).toBeGreaterThan(operations.length);
    // A bounded number of requests (a few per route), one after another: room for a busy machine.
  }, 180_000);

  it('never answers invalid requests with a 2xx, and answers them with declared problem documents', async () => {
    const failures: Array<{ outcome: Outcome; problem: string }> = [];
    let sent = 0;
    for (const operation of operations) {
      for (const request of await invalidCases(operation)) {
        const outcome = await send(operation, request);
        sent++;
        if (outcome.status < 400) failures.push({ outcome, problem: `accepted invalid input with ${outcome.status}` });
        for (const problem of conformanceProblems(outcome)) failures.push({ outcome, problem });
      }
    }
    expect(failures.length, report(failures)).toBe(0);
    expect(sent).toBeGreaterThan(operations.length * 3);
  }, 180_000);
});
