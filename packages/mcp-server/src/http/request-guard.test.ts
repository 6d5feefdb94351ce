import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkRequest, type GuardOptions, hostnameOf } from './request-guard.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const local: GuardOptions = { allowedHosts: ['localhost', '127.0.0.1', '[::1]'], allowedOrigins: [] };

describe('checkRequest', () => {
  it('accepts local hosts on any port', () => {
    for (const host of ['localhost', '127.0.0.1:3917', '[::1]:80', 'LOCALHOST:1']) {
      expect(checkRequest(request({ host }), local)).toEqual({ ok: true });
    }
  });

  it('refuses foreign hosts and origins with 403 (DNS rebinding)', () => {
    expect(checkRequest(request({ host: 'evil.example:3917' }), local)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(checkRequest(request({}), local)).toMatchObject({ ok: false, status: 403 });
    const fromPage = request({ host: '127.0.0.1:3917', origin: 'https://evil.example' });
    expect(checkRequest(fromPage, local)).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest(request({ host: 'localhost', origin: 'null' }), local)).toMatchObject({
      status: 403,
    });
    // Another port of localhost is another origin: a local web page must not drive the server.
    expect(
      checkRequest(request({ host: 'localhost', origin: 'http://localhost:6274' }), local),
    ).toMatchObject({
      ok: false,
      status: 403,
    });
    const listed = { ...local, allowedOrigins: ['https://app.example'] };
    expect(checkRequest(request({ host: 'localhost', origin: 'https://app.example' }), listed)).toEqual({
      ok: true,
    });
  });

  it('enforces the bearer token with 401', () => {
    const withToken = { ...local, token: 's3cret' };
    const host = 'localhost';
    expect(checkRequest(request({ host }), withToken)).toMatchObject({ ok: false, status: 401 });
    expect(checkRequest(request({ host, authorization: 'Bearer wrong!' }), withToken)).toMatchObject({
      status: 401,
    });
    expect(checkRequest(request({ host, authorization: 'Basic s3cret' }), withToken)).toMatchObject({
      status: 401,
    });
    expect(checkRequest(request({ host, authorization: 'Bearer s3cret' }), withToken)).toEqual({ ok: true });
  });
});

describe('hostnameOf', () => {
  it.each([
    ['example.com:8080', 'example.com'],
    ['[::1]:80', '[::1]'],
    ['[::1]', '[::1]'],
    ['Host', 'host'],
    [undefined, undefined],
  ])('%s → %s', (input, expected) => expect(hostnameOf(input)).toBe(expected));
});
