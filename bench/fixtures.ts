/** What `npm run bench:data` loads and `npm run bench` relies on. */
export const BENCH_SIZES = {
  members: Number(process.env.BENCH_MEMBERS ?? 250_000),
  partners: Number(process.env.BENCH_PARTNERS ?? 3_000),
  redemptions: Number(process.env.BENCH_REDEMPTIONS ?? 10_000_000),
  /** Redemptions per transaction while loading: a step that can be resumed. */
  chunk: 1_000_000,
};

/** The partner the load tests act as, with its portal login. */
export const BENCH_COUNTER = {
  partnerCode: 'BENCH-CAS-01',
  email: 'comptoir@banc-essai.nadipass.ma',
  password: 'bench-counter-2026',
};
