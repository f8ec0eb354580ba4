import { formatMoney, MAX_GROSS_CENTS, parseMadAmount } from '../../src/web/format';

describe('amounts typed at the counter', () => {
  it.each([
    ['250', 25_000],
    ['250,5', 25_050],
    ['250.50', 25_050],
    ['1 250,00', 125_000],
    ['1\u202f250,00', 125_000],
    ['1.250,00', 125_000],
    ['999.999,99', 99_999_999],
    ['1.000.000', MAX_GROSS_CENTS],
    ['250 MAD', 25_000],
    ['250dh', 25_000],
    ['٢٥٠,٥٠', 25_050],
    ['0,01', 1],
  ])('reads %j as %i centimes', (typed, cents) => {
    expect(parseMadAmount(typed)).toBe(cents);
  });

  it.each(['', 'deux cents', '0', '0,00', '-5', '1,234,56', '12,345', '1.25.0', '250,505', '1e3', '1000000,01', '12.345.678,90'])(
    'refuses %j',
    (typed) => {
      expect(parseMadAmount(typed)).toBeNull();
    },
  );

  it('reads back what the portal prints', () => {
    const printed = formatMoney(123_456, 'fr');
    expect(parseMadAmount(printed)).toBe(123_456);
  });
});
