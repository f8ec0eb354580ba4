import request from 'supertest';

import { scannedText } from '../../src/cards/qr';
import { credentialUrl } from '../../src/credentials/tokens';
import { createActivationCode } from '../../src/members/accounts';
import { createApiKey } from '../../src/partners/service';
import { runCli } from '../support/cli';
import { csrfTokenOf } from '../support/forms';
import { buildOffer } from '../support/offers';
import { decodeQrPng } from '../support/qr';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
let offerIds: Record<string, number>;

beforeAll(async () => {
  runtime = await createTestRuntime();
  const rows = await runtime.ctx.db('offers').select('id', 'title_fr');
  offerIds = Object.fromEntries(rows.map((row) => [row.title_fr, row.id]));
});

afterAll(() => runtime.close());

const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Activates a member's account through the activation page and signs in. */
async function activatedMember(number: string, password = 'motdepasse-2026') {
  const { code } = await createActivationCode(runtime.ctx.db, number);
  const agent = request.agent(runtime.app);
  const form = await agent.get('/member/activate');
  const activated = await agent
    .post('/member/activate')
    .type('form')
    .send({
      number,
      code: code.toLowerCase(),
      password,
      confirm: password,
      _csrf: csrfTokenOf(form.text),
    });
  expect(activated.status).toBe(200);
  const signedIn = await agent
    .post('/member/login')
    .type('form')
    .send({ number, password, _csrf: csrfTokenOf(activated.text) });
  expect(signedIn.status).toBe(303);
  expect(signedIn.headers.location).toBe('/member');

  return agent;
}

// Each test signs in with scrypt-hashed passwords and draws QR images: slow on a busy machine.
jest.setTimeout(240_000);

describe('member accounts', () => {
  it('sets the first password with a one-time code, then signs in with it', async () => {
    const { code } = await createActivationCode(runtime.ctx.db, '100003');
    expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{5}-[34679ACDEFGHJKMNPQRTUVWXY]{5}$/);
    const agent = request.agent(runtime.app);
    const form = await agent.get('/member/activate');
    const csrf = csrfTokenOf(form.text);

    const wrong = await agent
      .post('/member/activate')
      .type('form')
      .send({
        number: '100003',
        code: 'AAAAA-AAAAA',
        password: 'rachid-2026!',
        confirm: 'rachid-2026!',
        _csrf: csrf,
      });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('code d&#x27;activation incorrect');

    const differ = await agent
      .post('/member/activate')
      .type('form')
      .send({
        number: '100003',
        code,
        password: 'rachid-2026!',
        confirm: 'rachid-2027!',
        _csrf: csrf,
      });
    expect(differ.status).toBe(422);
    expect(differ.text).toContain('ne sont pas identiques');

    const ok = await agent
      .post('/member/activate')
      .type('form')
      .send({
        number: '100003',
        code,
        password: 'rachid-2026!',
        confirm: 'rachid-2026!',
        _csrf: csrf,
      });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Votre mot de passe est enregistré');

    const reused = await agent
      .post('/member/activate')
      .type('form')
      .send({
        number: '100003',
        code,
        password: 'autre-2026!',
        confirm: 'autre-2026!',
        _csrf: csrf,
      });
    expect(reused.status).toBe(422);

    const badLogin = await agent
      .post('/member/login')
      .type('form')
      .send({ number: '100003', password: 'autre-2026!', _csrf: csrf });
    expect(badLogin.status).toBe(401);
    expect(badLogin.text).toContain('Numéro d&#x27;adhérent ou mot de passe incorrect.');

    // From a phone set to Arabic: the number in Arabic-Indic digits.
    const login = await agent
      .post('/member/login')
      .type('form')
      .send({ number: '١٠٠٠٠٣', password: 'rachid-2026!', _csrf: csrf });
    expect(login.status).toBe(303);
    expect((await agent.get('/member')).status).toBe(200);
  });

  it('stops the old password when the club generates a new code', async () => {
    const agent = await activatedMember('100004', 'salma-2026!');
    await createActivationCode(runtime.ctx.db, '100004');
    const page = await request(runtime.app).get('/member/login');
    const fresh = request.agent(runtime.app);
    const login = await fresh.get('/member/login');
    const response = await fresh
      .post('/member/login')
      .type('form')
      .send({ number: '100004', password: 'salma-2026!', _csrf: csrfTokenOf(login.text) });
    expect(response.status).toBe(401);
    expect(page.status).toBe(200);
    void agent;
  });

  it('sends visitors to the sign-in page and refuses partner logins', async () => {
    const anonymous = await request(runtime.app).get('/member/offers');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe('/member/login?next=%2Fmember%2Foffers');

    const partner = request.agent(runtime.app);
    const page = await partner.get('/login');
    await partner
      .post('/login')
      .type('form')
      .send({
        email: 'comptoir@pharmacie-alamal.ma',
        password: 'comptoir-demo-2026',
        _csrf: csrfTokenOf(page.text),
      });
    expect((await partner.get('/member')).status).toBe(403);
  });
});

describe("the member's pages", () => {
  it("shows the member's and dependants' cards, whose downloads carry the stored QR", async () => {
    const agent = await activatedMember('100001');
    const home = await agent.get('/member');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Ahmed Bennani');
    expect(home.text).toContain('Khadija Bennani');
    expect(home.text).toContain('Youssef Bennani');
    expect((home.text.match(/<img src="data:image\/png;base64,/g) ?? []).length).toBe(3);

    const png = await agent.get('/member/cards/member.png').buffer(true).parse(binary);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const url = decodeQrPng(png.body);
    const card = await runtime.ctx
      .db('cards')
      .whereNull('revoked_at')
      .where({ member_id: 1, dependant_id: null })
      .first();
    expect(url).toBe(scannedText(credentialUrl('http://localhost:3000', card.token)));
    // A second download is the same card: nothing is replaced.
    const again = await agent.get('/member/cards/member.png').buffer(true).parse(binary);
    expect(decodeQrPng(again.body)).toBe(url);

    const pdf = await agent.get('/member/cards/member.pdf').buffer(true).parse(binary);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');

    const svg = await agent.get('/member/cards/member.svg').buffer(true);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect((await agent.get('/member/cards/999.png')).status).toBe(404);
  });

  it('lists offers nearest first, filters by category, in Arabic too', async () => {
    const agent = await activatedMember('100001');
    const page = await agent.get('/member/offers');
    expect(page.status).toBe(200);
    const order = [...page.text.matchAll(/data-offer-id="(\d+)"/g)].map((match) =>
      Number(match[1]),
    );
    expect(order).toEqual([
      offerIds['10 % sur la parapharmacie'],
      offerIds['Test de glycémie offert'],
      offerIds['200 MAD sur une monture'],
      offerIds['20 % sur les nuitées'],
    ]);
    expect(page.text.indexOf('Dans ma province')).toBeLessThan(
      page.text.indexOf('Partout au Maroc'),
    );
    expect(page.text).not.toContain('15 % sur les consultations');
    expect(page.text).not.toContain('25 % sur les analyses');

    const holidays = await agent.get('/member/offers?category=holidays');
    expect(
      [...holidays.text.matchAll(/data-offer-id="(\d+)"/g)].map((match) => Number(match[1])),
    ).toEqual([offerIds['20 % sur les nuitées']]);

    const arabic = await agent.get('/member/offers?lang=ar');
    expect(arabic.text).toContain('dir="rtl"');
    expect(arabic.text).toContain('في إقليمي');
    expect(arabic.text).toContain('فحص نسبة السكر في الدم مجانا');
  });

  it('issues a voucher within the limit, lets it be downloaded and redeemed, and counts the saving', async () => {
    const agent = await activatedMember('100001');
    const offers = await agent.get('/member/offers');
    const csrf = csrfTokenOf(offers.text);
    const offerId = offerIds['Test de glycémie offert'];

    const issued = await agent
      .post('/member/vouchers')
      .type('form')
      .send({ offerId, holder: 'member', _csrf: csrf });
    expect(issued.status).toBe(303);
    const second = await agent
      .post('/member/vouchers')
      .type('form')
      .send({ offerId, holder: 'member', _csrf: csrf });
    expect(second.status).toBe(409);
    expect(second.text).toContain('déjà utilisé tous ses avantages de la période');
    const spouse = await runtime.ctx.db('dependants').where({ first_name: 'Khadija' }).first();
    const forSpouse = await agent
      .post('/member/vouchers')
      .type('form')
      .send({ offerId, holder: String(spouse.id), _csrf: csrf });
    expect(forSpouse.status).toBe(303);

    const list = await agent.get(issued.headers.location);
    expect(list.text).toContain('Votre bon est prêt');
    const vouchers = await runtime.ctx
      .db('vouchers')
      .where({ offer_id: offerId, member_id: 1 })
      .orderBy('issued_at');
    expect(vouchers).toHaveLength(2);
    const mine = vouchers.find((voucher) => voucher.dependant_id === null);
    expect(mine.code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{8}$/);
    expect(list.text).toContain(`${mine.code.slice(0, 4)}-${mine.code.slice(4)}`);

    const pdf = await agent.get(`/member/vouchers/${mine.id}.pdf`).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const png = await agent.get(`/member/vouchers/${mine.id}.png`).buffer(true).parse(binary);
    expect(png.headers['content-type']).toBe('image/png');
    const qr = decodeQrPng(png.body);
    expect(qr).toBe(scannedText(credentialUrl('http://localhost:3000', mine.token)));

    const apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
    const redeemed = await request(runtime.app)
      .post('/api/v1/redemptions')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ qr, offerId, grossCents: 3_000, idempotencyKey: 'member-area-0001' });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body.discountCents).toBe(3_000);

    const after = await agent.get('/member/vouchers');
    expect(after.text).toContain('utilisé');
    const historyPage = await agent.get('/member/history');
    expect(historyPage.text).toContain('Test de glycémie offert');
    expect(historyPage.text).toMatch(/Vous avez économisé 30,00\s(MAD|DH)/);

    const other = await activatedMember('100003');
    expect((await other.get(`/member/vouchers/${mine.id}.pdf`)).status).toBe(404);
  });

  it('refuses a voucher for an offer out of the member\u2019s reach, saying why', async () => {
    const casablanca = await buildOffer(runtime.ctx.db, {
      partnerCode: 'CL-CAS-01',
      voucher_required: true,
      scope: 'province',
    });
    const agent = await activatedMember('100001');
    const page = await agent.get('/member/offers');
    const response = await agent
      .post('/member/vouchers')
      .type('form')
      .send({ offerId: casablanca.id, holder: 'member', _csrf: csrfTokenOf(page.text) });
    expect(response.status).toBe(409);
    expect(response.text).toContain('Cet avantage n&#x27;est pas valable chez vous.');
    expect(await runtime.ctx.db('vouchers').where({ offer_id: casablanca.id })).toHaveLength(0);
  });
});

describe('the command line', () => {
  it('lists offers as CSV, issues a voucher and an activation code', async () => {
    const env = { DATABASE_URL: runtime.url };
    const list = await runCli(['offers:list', '--partner', 'PH-GLM-01'], env);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('id,partner_code,title,benefit,voucher_needed,limits');
    expect(lines).toContain(
      `${offerIds['10 % sur la parapharmacie']},PH-GLM-01,10 % sur la parapharmacie,10%,no,4 per month`,
    );

    const voucher = await runCli(
      [
        'voucher:issue',
        '--member',
        '100002',
        '--offer',
        String(offerIds['200 MAD sur une monture']),
      ],
      env,
    );
    expect(voucher.code).toBe(0);
    const [url, code] = voucher.stdout.trimEnd().split('\n');
    expect(url).toMatch(/^http:\/\/localhost:3000\/v\/[1-9][0-9]+$/);
    expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{4}-[34679ACDEFGHJKMNPQRTUVWXY]{4}$/);

    const activation = await runCli(['member:activation', '--member', '100002'], env);
    expect(activation.code).toBe(0);
    expect(activation.stdout).toMatch(
      /^[34679ACDEFGHJKMNPQRTUVWXY]{5}-[34679ACDEFGHJKMNPQRTUVWXY]{5}\n$/,
    );
  }, 180_000);
});
