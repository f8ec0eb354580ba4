import { signedInClubUser } from '../support/club';
import { csrfTokenOf } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
let memberId: number;

beforeAll(async () => {
  runtime = await createTestRuntime();
  memberId = (await runtime.ctx.db('members').where({ number: '100001' }).first('id')).id;
});

afterAll(() => runtime.close());

async function postDependant(fields: Record<string, string>, lang = 'fr') {
  const agent = await signedInClubUser(runtime.app, 'admin');
  const page = await agent.get(`/admin/members/${memberId}?lang=${lang}`);

  return agent
    .post(`/admin/members/${memberId}/dependants?lang=${lang}`)
    .type('form')
    .send({ _csrf: csrfTokenOf(page.text), relation: 'child', ...fields });
}

const dependantsNamed = (firstName: string) =>
  runtime.ctx.db('dependants').where({ member_id: memberId, first_name: firstName });

describe('the admin form that adds a dependant', () => {
  it('refuses a birth date in the future, in French and in Arabic, and saves nothing', async () => {
    const fields = { firstName: 'Yasmine', lastName: 'Bennani', birthDate: '2099-01-01' };

    const french = await postDependant(fields);
    const arabic = await postDependant(fields, 'ar');

    expect(french.status).toBe(422);
    expect(french.text).toContain('La date de naissance ne peut pas être dans le futur.');
    expect(arabic.status).toBe(422);
    expect(arabic.text).toContain('لا يمكن أن يكون تاريخ الازدياد في المستقبل.');
    expect(await dependantsNamed('Yasmine')).toEqual([]);
  });

  it('refuses a name with control characters and saves nothing', async () => {
    const response = await postDependant({ firstName: 'Ad\u0007am', lastName: 'Zerhouni' });

    expect(response.status).toBe(422);
    expect(response.text).toContain('contiennent des caractères de contrôle invisibles');
    expect(await runtime.ctx.db('dependants').where({ last_name: 'Zerhouni' })).toEqual([]);
  });

  it('drops invisible bidi controls from an Arabic name and saves the dependant', async () => {
    const response = await postDependant({
      firstName: 'Omar', lastName: 'Bennani', fullNameAr: '\u202Bعمر بناني\u202C',
      birthDate: '2015-06-01',
    });

    expect(response.status).toBe(303);
    const [omar] = await dependantsNamed('Omar');
    expect(omar).toMatchObject({ last_name: 'Bennani', full_name_ar: 'عمر بناني' });
  });
});
