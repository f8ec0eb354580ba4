import { signedInClubUser } from '../support/club';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

const PAGES = ['/admin/reports', '/admin/reports/fairness', '/admin/reports/regions'];

describe('a report asked for with a wrong period or format', () => {
  it.each(PAGES)('%s shows a date that does not exist inline, above the form', async (page) => {
    const agent = await signedInClubUser(runtime.app, 'admin');

    const response = await agent.get(`${page}?from=2026-02-30&to=2026-03-31`);

    expect(response.status).toBe(400);
    expect(response.text).toContain('role="alert">Date invalide ou inexistante');
    expect(response.text).toContain('name="from"');
  });

  it.each(PAGES)('%s refuses a start after the end rather than swapping them', async (page) => {
    const agent = await signedInClubUser(runtime.app, 'admin');

    const response = await agent.get(`${page}?from=2026-06-30&to=2026-01-01&lang=ar`);

    expect(response.status).toBe(400);
    expect(response.text).toContain('فترة غير صالحة: يجب أن يسبق تاريخ البداية تاريخ النهاية.');
    expect(response.text).not.toContain('value="2026-06-30"');
  });

  it('says an unknown export format is unknown, not that the date is wrong', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');

    const response = await agent.get('/admin/reports?from=2026-01-01&to=2026-01-31&format=pdf');

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('export inconnu : choisissez CSV ou XLSX.');
    expect(response.text).not.toContain('Date invalide');
  });

  it('still exports a right period', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');

    const response = await agent.get('/admin/reports?from=2026-01-01&to=2026-01-31&format=csv');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
  });
});
