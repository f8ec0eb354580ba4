import request from 'supertest';

import { createTestRuntime, TestRuntime } from '../support/runtime';

describe('security headers', () => {
  let plain: TestRuntime;
  let secure: TestRuntime;

  beforeAll(async () => {
    plain = await createTestRuntime({ publicBaseUrl: 'http://192.168.1.20:3000' });
    secure = await createTestRuntime({ publicBaseUrl: 'https://nadipass.example.ma' });
  });

  afterAll(async () => {
    await plain.close();
    await secure.close();
  });

  it('do not send a browser on plain http to https for the page itself', async () => {
    const response = await request(plain.app).get('/login');
    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('keep a browser on https behind https', async () => {
    const response = await request(secure.app).get('/login');
    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
  });
});
