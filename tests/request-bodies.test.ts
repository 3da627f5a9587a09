import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

// Issue 20, items 11 and 12: JSON bodies are UTF-8 (RFC 8259 8.1), bodies are never decoded
// from a Content-Encoding, and a prototype-poisoning key is named as what is refused.
const t = useTestApp();

let user: SignedIn;

beforeAll(async () => {
  user = await registerUser(t.app);
});

function postTodo(payload: string | Buffer, headers: Record<string, string>) {
  return t.app.inject({ method: 'POST', url: '/api/todos', headers: { ...user.headers, ...headers }, payload });
}

async function titles(): Promise<string[]> {
  const response = await t.app.inject({ method: 'GET', url: '/api/todos?limit=200', headers: user.headers });
  return response.json().items.map((item: { title: string }) => item.title);
}

function expectProblem(response: Awaited<ReturnType<typeof postTodo>>, status: number) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return response.json();
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('JSON bodies are UTF-8', () => {
  it('refuses another declared charset with a 415, and stores nothing', async () => {
    const body = expectProblem(await postTodo(Buffer.from('{"title":"caf\xe9"}', 'latin1'), { 'content-type': 'application/json; charset=iso-8859-1' }), 415);
    expect(body).toMatchObject({ code: 'UMBRA_UNSUPPORTED_MEDIA_TYPE', detail: expect.stringContaining('iso-8859-1') });
    expectProblem(await postTodo('{"title":"x"}', { 'content-type': 'application/json; charset="windows-1252"' }), 415);
    expect(await titles()).toEqual([]);
  });

  it('takes UTF-8 declared in any spelling, or undeclared', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json;charset=utf8', 'application/json']) {
      const response = await postTodo(Buffer.from(JSON.stringify({ title: `café ${type}` }), 'utf8'), { 'content-type': type });
      expect(response.statusCode, `${type}: ${response.body}`).toBe(201);
      expect(response.json().title).toBe(`café ${type}`);
    }
  });

  it('refuses invalid UTF-8 with a 400 naming the body, instead of storing U+FFFD', async () => {
    const invalid = Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const body = expectProblem(await postTodo(invalid, JSON_TYPE), 400);
    expect(body.errors).toEqual([{ path: 'body', message: 'Is not valid UTF-8' }]);
    expect((await titles()).some((title) => title.includes('\ufffd'))).toBe(false);
  });
});

describe('Content-Encoding', () => {
  it('is a 415 for any coding, gzip or not, and identity is a plain body', async () => {
    const json = JSON.stringify({ title: 'zipped' });
    expectProblem(await postTodo(json, { ...JSON_TYPE, 'content-encoding': 'gzip' }), 415);
    expectProblem(await postTodo(gzipSync(json), { ...JSON_TYPE, 'content-encoding': 'gzip' }), 415);
    expectProblem(await postTodo(json, { ...JSON_TYPE, 'content-encoding': 'br' }), 415);
    expect(await titles()).not.toContain('zipped');
    expect((await postTodo(json, { ...JSON_TYPE, 'content-encoding': 'identity' })).statusCode).toBe(201);
  });
});

describe('prototype-poisoning keys', () => {
  it('say what is refused instead of calling the JSON invalid', async () => {
    for (const payload of ['{"title":"x","__proto__":{"admin":true}}', '{"title":"x","constructor":{"prototype":{"admin":true}}}']) {
      const body = expectProblem(await postTodo(payload, JSON_TYPE), 400);
      expect(body.errors, payload).toEqual([{ path: 'body', message: expect.stringContaining('"__proto__" or "constructor.prototype" key') }]);
    }
    const broken = expectProblem(await postTodo('{"title": ', JSON_TYPE), 400);
    expect(broken.errors).toEqual([{ path: 'body', message: 'Is not valid JSON' }]);
  });
});
