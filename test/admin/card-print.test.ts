import { signedInClubUser } from '../support/club';
import { csrfTokenOf } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

describe('bulk card printing', () => {
  it('prints the cards of a province on A4 sheets, issuing a card to whoever has none', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const form = await agent.get('/admin/cards/print');
    expect(form.status).toBe(200);
    const before = await runtime.ctx.db('cards').count();
    const response = await agent
      .post('/admin/cards/print')
      .type('form')
      .send({ _csrf: csrfTokenOf(form.text), province: '10.261' })
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = (response.body as Buffer).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(1);
    // Guelmim's demo members in good standing: 100001 only (100006 is suspended).
    const after = await runtime.ctx.db('cards').count();
    expect(Number(after[0].count)).toBe(Number(before[0].count) + 1);
    const card = await runtime.ctx.db('cards').join('members', 'members.id', 'cards.member_id').first('members.number');
    expect(card.number).toBe('100001');
  });

  it('names the members of a list it cannot print, with a 422 and no PDF', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const form = await agent.get('/admin/cards/print');
    const response = await agent
      .post('/admin/cards/print')
      .type('form')
      .send({ _csrf: csrfTokenOf(form.text), numbers: '100001, 100006\n999999' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('100006, 999999');

    const coordinator = await signedInClubUser(runtime.app, 'coordinator');
    expect((await coordinator.get('/admin/cards/print')).status).toBe(403);
  });
});
