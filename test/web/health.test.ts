import request from 'supertest';

import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

describe('the health check', () => {
  it('answers 200 while the database answers, and 503 in JSON once it does not', async () => {
    const healthy = await request(runtime.app).get('/healthz');
    expect(healthy.status).toBe(200);
    expect(healthy.body).toEqual({ status: 'ok' });

    // The database goes away: the pool's connections are closed for good.
    await runtime.ctx.db.destroy();
    const down = await request(runtime.app).get('/healthz');
    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toMatch(/^application\/json/);
    expect(down.body).toEqual({ status: 'database_unreachable' });
  });
});
