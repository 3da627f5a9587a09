import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { registerUser, uniqueEmail, PASSWORD } from './helpers/users.ts';

const t = useTestApp({ CORS_ORIGINS: 'https://app.example.com' });

describe('the Origin rule for state-changing requests', () => {
  it('refuses a POST, PATCH or DELETE from a foreign origin with 403, changing nothing', async () => {
    const user = await registerUser(t.app);
    const patch = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: { ...user.headers, origin: 'https://evil.example' }, payload: { theme: 'dark' } });
    expect(patch.statusCode).toBe(403);
    expect(patch.json()).toMatchObject({ status: 403, detail: 'Requests from origin https://evil.example are not allowed' });
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json().theme).toBe('system');

    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { ...user.headers, origin: 'null' } });
    expect(logout.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).statusCode).toBe(200);

    const register = await t.app.inject({ method: 'POST', url: '/api/auth/register', headers: { origin: 'https://evil.example' }, payload: { email: uniqueEmail(), password: PASSWORD } });
    expect(register.statusCode).toBe(403);
  });

  it('allows configured origins, the server\'s own origin (under its loopback names), and requests without Origin', async () => {
    const user = await registerUser(t.app);
    for (const origin of ['https://app.example.com', 'http://127.0.0.1:3000', 'http://localhost:3000', undefined]) {
      const response = await t.app.inject({
        method: 'PATCH',
        url: '/api/settings',
        headers: { ...user.headers, ...(origin ? { origin } : {}) },
        payload: { theme: 'dark' },
      });
      expect(response.statusCode, String(origin)).toBe(200);
    }
  });

  it('takes its own origin from where it listens, never from the Host header', async () => {
    const user = await registerUser(t.app);
    // A page on evil.example whose name resolves to this server (DNS rebinding) sends exactly this.
    for (const [host, origin] of [['evil.example', 'http://evil.example'], ['localhost:8080', 'http://localhost:8080']]) {
      const response = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: { ...user.headers, host, origin }, payload: { theme: 'dark' } });
      expect(response.statusCode, origin).toBe(403);
    }
  });

  it('lets reads through from any origin (CORS decides what the browser may see)', async () => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'GET', url: '/api/settings', headers: { ...user.headers, origin: 'https://evil.example' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the Origin rule with PUBLIC_URL', () => {
  const configured = useTestApp({ PUBLIC_URL: 'https://umbra.example.com/app' });

  it('takes the origin of PUBLIC_URL as its own, and only that', async () => {
    const user = await registerUser(configured.app);
    const patch = (origin: string) =>
      configured.app.inject({ method: 'PATCH', url: '/api/settings', headers: { ...user.headers, origin, host: 'umbra.example.com' }, payload: { theme: 'dark' } });
    expect((await patch('https://umbra.example.com')).statusCode).toBe(200);
    expect((await patch('http://127.0.0.1:3000')).statusCode).toBe(403);
    expect((await patch('http://umbra.example.com')).statusCode).toBe(403);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin, with credentials and every write method', async () => {
    const response = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/settings',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type,if-match' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(String(response.headers['access-control-allow-methods'])).toMatch(/PUT.*PATCH.*DELETE/);
    expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toContain('if-match');
  });

  it('exposes ETag and x-request-id to allowed origins', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://app.example.com' } });
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(response.headers['access-control-expose-headers']).toLowerCase()).toContain('etag');
  });

  it('gives no CORS headers to other origins', async () => {
    const response = await t.app.inject({ method: 'OPTIONS', url: '/api/settings', headers: { origin: 'https://evil.example', 'access-control-request-method': 'PATCH' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('security headers', () => {
  it('sends helmet headers; no HSTS or upgrade-insecure-requests over plain HTTP', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });
});
