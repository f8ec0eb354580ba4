/**
 * `npm run bench`: measures the figures the club's speed targets are set on, each as a ratio to
 * a baseline measured in the same run on the same machine (machines here are shared and noisy),
 * prints a table and writes bench/results.json. Needs `npm run bench:data` first.
 *
 * The app under test runs in a process of its own (bench/server.ts); autocannon drives it from
 * this one.
 */
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import autocannon from 'autocannon';

import { renderCardSheetPdf, type PrintableCard } from '../src/cards/pdf';
import { KeyStore } from '../src/credentials/keys';
import { credentialUrl, newTokenId, signToken } from '../src/credentials/tokens';
import { Db } from '../src/db';
import { createApiKey } from '../src/partners/service';
import { regionReport } from '../src/reports/regions';
import { rollUpRedemptions } from '../src/reports/rollups';
import { businessDate, endOfBusinessDay, formatDate } from '../src/time';
import { newVoucherCode } from '../src/vouchers/repository';
import { BENCH_DATA_DIR, openBenchDatabase } from './database';
import { BENCH_COUNTER } from './fixtures';

const ROOT = path.join(__dirname, '..');
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 15);
const WARM_UP_SECONDS = 3;
const CONNECTIONS = 50;
const CARDS = 10_000;
const VOUCHERS = 10_000;
const WARM_UP_VOUCHERS = 1_000;
const REPORT_RUNS = 7;
const STARTUP_RUNS = 3;
const FIGURES = ['verify', 'redeem', 'page', 'report', 'print', 'start-up'];

/**
 * `BENCH_ONLY=verify,page` measures those figures alone (and the baseline), for a quicker run
 * while working on one of them; the table of record measures them all.
 */
function wanted(figure: string): boolean {
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  if (only?.some((name) => !FIGURES.includes(name))) {
    throw new Error(`BENCH_ONLY names one of ${FIGURES.join(', ')}`);
  }

  return !only?.length || only.includes(figure);
}

interface Figure {
  name: string;
  how: string;
  target: string;
  pass: boolean | null;
  reqPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  ratio?: number;
  seconds?: number;
  note?: string;
  [detail: string]: unknown;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a URL until it answers 200; returns the milliseconds it took from `since`. */
async function waitFor200(url: string, since: number, timeoutMs: number, child: ChildProcess) {
  let exited = false;
  child.once('exit', () => (exited = true));
  while (performance.now() - since < timeoutMs) {
    if (exited) {
      throw new Error(`the process behind ${url} exited before answering`);
    }
    try {
      const response = await fetch(url);
      if (response.status === 200) {
        return performance.now() - since;
      }
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** Stops a process group this run started, and waits for it to be gone. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) {
    return;
  }

  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timeout = sleep(15_000).then(() => 'timeout');
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    process.kill(-child.pid, 'SIGKILL');
    await exited;
  }
}

/** The machine the figures were measured on. */
async function machine(db: Db) {
  const { rows } = await db.raw('show server_version');

  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: rows[0].server_version as string,
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
  };
}

interface Credential {
  token: string;
}

interface ScannedCard extends Credential {
  holder: Holder;
}

interface Holder {
  member_id: number;
  card_id: string;
  holder_key: string;
  first_name: string;
  last_name: string;
  full_name_ar: string;
  number: string;
  issued_at: Date;
  expires_at: Date;
}

/**
 * Active members with a valid card, spread over every region, split in two: the first half's
 * cards are scanned, the second half receive vouchers.
 */
async function benchHolders(db: Db, wanted: { cards: number; vouchers: number }) {
  const { rows } = await db.raw(
    `select b.member_id, c.id as card_id, c.holder_key, c.issued_at, c.expires_at,
            m.first_name, m.last_name, m.full_name_ar, m.number
       from bench_members b
       join members m on m.id = b.member_id
       join cards c on c.id = b.card_id
      where m.status = 'active' and c.revoked_at is null
      order by b.n`,
  );
  const holders = rows as Holder[];
  const half = Math.floor(holders.length / 2);
  if (half < wanted.cards || half < wanted.vouchers) {
    process.stdout.write(
      `Only ${holders.length} active members in this data set: fewer distinct cards and ` +
        'vouchers than the benchmark asks for.\n',
    );
  }
  const stride = (from: Holder[], count: number) => {
    const step = Math.max(1, Math.floor(from.length / count));

    return from.filter((_holder, index) => index % step === 0).slice(0, count);
  };

  return {
    scanned: stride(holders.slice(0, half), wanted.cards),
    receivers: stride(holders.slice(half), wanted.vouchers),
  };
}

/** Signs the cards of the scanned holders. */
async function benchCards(keys: KeyStore, holders: Holder[]): Promise<ScannedCard[]> {
  const cards: ScannedCard[] = [];
  for (const holder of holders) {
    const token = await signToken(keys, {
      kind: 'card',
      id: holder.card_id,
      holder: holder.holder_key,
      name: `${holder.first_name} ${holder.last_name}`,
      issuedAt: holder.issued_at,
      expiresAt: holder.expires_at,
    });
    cards.push({ token, holder });
  }

  return cards;
}

/** Issues fresh vouchers for the counter's voucher offer, one per holder, never used before. */
async function benchVouchers(db: Db, keys: KeyStore, holders: Holder[], now: Date) {
  const offer = await db('offers')
    .join('partners', 'partners.id', 'offers.partner_id')
    .where({ 'partners.code': BENCH_COUNTER.partnerCode, 'offers.voucher_required': true })
    .first('offers.id');
  const expiresOn = businessDate(new Date(now.getTime() + 30 * 86_400_000));
  const { kid } = keys.signingKey();
  const rows = holders.map((holder) => ({
    id: newTokenId(),
    code: newVoucherCode(),
    offer_id: offer.id,
    member_id: holder.member_id,
    holder_key: holder.holder_key,
    kid,
    max_uses: 1,
    expires_on: expiresOn,
    issued_at: now,
  }));
  for (let start = 0; start < rows.length; start += 1_000) {
    await db('vouchers').insert(rows.slice(start, start + 1_000));
  }

  const vouchers: (Credential & { id: string })[] = [];
  for (const [index, row] of rows.entries()) {
    const holder = holders[index];
    const token = await signToken(keys, {
      kind: 'voucher',
      id: row.id,
      holder: row.holder_key,
      name: `${holder.first_name} ${holder.last_name}`,
      issuedAt: now,
      expiresAt: endOfBusinessDay(expiresOn),
    });
    vouchers.push({ id: row.id, token });
  }

  return { offerId: offer.id as number, vouchers };
}

/** Signs in to the portal as the counter's clerk: the session cookie and its CSRF token. */
async function portalSession(base: string): Promise<{ cookie: string; csrf: string }> {
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const cookieOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .find((cookie) => cookie.startsWith('nadipass.sid=')) ?? '';

  const loginPage = await fetch(`${base}/login`);
  const firstCookie = cookieOf(loginPage);
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: firstCookie },
    body: new URLSearchParams({
      _csrf: csrfOf(await loginPage.text()),
      email: BENCH_COUNTER.email,
      password: BENCH_COUNTER.password,
    }).toString(),
  });
  const cookie = cookieOf(login);
  if (login.status !== 302 || !cookie) {
    throw new Error(`portal login answered ${login.status}`);
  }

  const scan = await fetch(`${base}/portal/scan`, { headers: { cookie } });
  const csrf = csrfOf(await scan.text());
  if (scan.status !== 200 || !csrf) {
    throw new Error(`the scan page answered ${scan.status}`);
  }

  return { cookie, csrf };
}

interface LoadOptions {
  base: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A body per request, taken in turn. */
  bodies?: string[];
  duration?: number;
  amount?: number;
  /** Counts the responses this says are right. */
  isRight?: (status: number, body: string) => boolean;
}

interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  right: number;
  non2xx: number;
  errors: number;
}

/** One autocannon run over 50 keep-alive connections. */
async function load(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  let right = 0;
  let lastAnswerAt = 0;
  const bodies = options.bodies;
  const startedAt = performance.now();
  const result = await autocannon({
    url: options.base,
    connections: CONNECTIONS,
    ...(options.amount
      ? { amount: options.amount }
      : { duration: options.duration ?? DURATION_SECONDS }),
    timeout: 30,
    requests: [
      {
        method: options.method,
        path: options.path,
        headers: options.headers,
        setupRequest: (request) =>
          bodies ? { ...request, body: bodies[next++ % bodies.length] } : request,
        onResponse: (status, body) => {
          lastAnswerAt = performance.now();
          if (options.isRight?.(status, body) ?? status === 200) {
            right++;
          }
        },
      },
    ],
  });
  const requests = result.requests.total;
  // A run of a set amount ends at its last answer; autocannon reports it only at its next
  // one-second tick, which would count up to a second of nothing.
  const seconds = options.amount ? (lastAnswerAt - startedAt) / 1000 : result.duration;

  return {
    reqPerSec: requests / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests,
    right,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Spawns bench/server.ts on the bench database and waits for its health check. */
async function startServer(databaseUrl: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(__dirname, 'server.log'), 'w');
  const child = spawn(process.execPath, [...serverFlags(), '--import', 'tsx', 'bench/server.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', log],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
      DEMO_DATA: 'false',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
  });
  await waitFor200(`${base}/healthz`, performance.now(), 60_000, child);

  return { base, child };
}

/** `BENCH_CPU_PROF=1` profiles the server under test (a .cpuprofile in bench/profiles). */
function serverFlags(): string[] {
  return process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : [];
}

/** Times `npm start` to its first 200, on an embedded data folder already created and warm. */
async function measureStartUp(): Promise<number[]> {
  const dataDir = path.join(BENCH_DATA_DIR, 'startup');
  const pgPort = String(Number(process.env.BENCH_PG_PORT ?? 54398) - 1);
  const times: number[] = [];
  for (let run = 0; run <= STARTUP_RUNS; run++) {
    const port = await freePort();
    const started = performance.now();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        DATABASE_URL: '',
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: pgPort,
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
    });
    try {
      const ms = await waitFor200(`http://127.0.0.1:${port}/healthz`, started, 120_000, child);
      // The first start creates and seeds the folder: it makes the later ones warm.
      if (run > 0) {
        times.push(ms);
      }
    } finally {
      await stopGroup(child);
    }
  }

  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The 12-month region report: p50 of several runs after one warm-up, read in this process, once
 * the roll-up job has folded in the redemptions this run made.
 */
async function measureReport(db: Db, now: Date) {
  await rollUpRedemptions(db, now);
  const to = businessDate(now);
  const from = businessDate(new Date(now.getTime() - 364 * 86_400_000));
  const times: number[] = [];
  let redemptions = 0;
  for (let run = 0; run <= REPORT_RUNS; run++) {
    const started = performance.now();
    const rows = await regionReport(db, { from, to });
    if (run > 0) {
      times.push(performance.now() - started);
    }
    redemptions = rows.reduce((sum, row) => sum + row.redemptions, 0);
  }

  return { times, redemptions, from, to };
}

const PRINTED_CARDS = 1_000;

/** A4 sheets of 1,000 cards (10 a page) from the scanned cards: the time of one rendering. */
async function measurePrint(cards: ScannedCard[], base: string): Promise<Figure> {
  const printable: PrintableCard[] = cards.slice(0, PRINTED_CARDS).map(({ token, holder }) => {
    const validUntil = businessDate(holder.expires_at);

    return {
      holderNameLatin: `${holder.first_name} ${holder.last_name}`,
      holderNameArabic: holder.full_name_ar,
      membershipNumber: holder.number,
      validUntil: { fr: formatDate(validUntil, 'fr'), ar: formatDate(validUntil, 'ar') },
      qrText: credentialUrl(base, token),
    };
  });
  // A warm-up on one page: fonts and modules are loaded once per process.
  await renderCardSheetPdf(printable.slice(0, 10));

  const started = performance.now();
  const pdf = await renderCardSheetPdf(printable);
  const seconds = (performance.now() - started) / 1000;
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;

  return {
    name: 'print',
    how: `A4 PDF sheets of ${printable.length} cards`,
    target: '≤ 5 s',
    pass: seconds <= 5 && pages === Math.ceil(printable.length / 10),
    seconds,
    pages,
    bytes: pdf.length,
    note: `${pages} A4 pages, ${(pdf.length / 1e6).toFixed(1)} MB`,
  };
}

const fmt = (value: number | undefined, digits = 0) =>
  value === undefined ? '' : value.toFixed(digits);

function printTable(figures: Figure[], host: Awaited<ReturnType<typeof machine>>): void {
  const header = ['figure', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'time', 'target', 'result'];
  const rows = figures.map((figure) => [
    figure.name,
    fmt(figure.reqPerSec),
    fmt(figure.p50Ms, 1),
    fmt(figure.p99Ms, 1),
    figure.ratio === undefined ? '' : `${figure.ratio.toFixed(2)}×`,
    figure.seconds === undefined ? '' : `${figure.seconds.toFixed(2)} s`,
    figure.target,
    figure.pass === null ? 'n/a' : figure.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const out = [
    '',
    `Machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB; Node ${host.node}; ` +
      `PostgreSQL ${host.postgres}; load average ${host.loadAverage.join(' ')}`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    ...figures.filter((figure) => figure.note).map((figure) => `${figure.name}: ${figure.note}`),
    '',
  ];
  process.stdout.write(out.join('\n'));
}

async function main(): Promise<void> {
  const bench = await openBenchDatabase();
  const { db } = bench;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const ready = await db.schema.hasTable('bench_data_steps').then((has) =>
      has ? db('bench_data_steps').where({ step: 'check-analyse' }).first('rows') : undefined,
    );
    if (!ready) {
      throw new Error('No bench data in this database: run `npm run bench:data` first');
    }

    const host = await machine(db);
    const now = new Date();
    const keys = new KeyStore(db);
    await keys.init();
    process.stdout.write('Preparing cards, vouchers and an API key…\n');
    const holders = await benchHolders(db, { cards: CARDS, vouchers: VOUCHERS + WARM_UP_VOUCHERS });
    const cards = await benchCards(keys, holders.scanned);
    const { offerId, vouchers } = await benchVouchers(db, keys, holders.receivers, now);
    const measured = vouchers.slice(0, Math.min(VOUCHERS, vouchers.length - WARM_UP_VOUCHERS));
    const warmUp = vouchers.slice(measured.length);
    const apiKey = await createApiKey(db, BENCH_COUNTER.partnerCode);

    server = await startServer(bench.url);
    const { base } = server;
    const figures: Figure[] = [];
    const api = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };

    process.stdout.write('baseline…\n');
    const hello = { base, method: 'GET' as const, path: '/bench/hello' };
    await load({ ...hello, duration: WARM_UP_SECONDS });
    const baselineBefore = await load(hello);

    const baselineFigure = (after: LoadResult): Figure => ({
      name: 'baseline',
      how: 'GET /bench/hello, Express 5, same middleware as the API',
      target: '—',
      pass: null,
      reqPerSec: (baselineBefore.reqPerSec + after.reqPerSec) / 2,
      p50Ms: baselineBefore.p50Ms,
      p99Ms: baselineBefore.p99Ms,
      before: baselineBefore,
      after,
      note: `${baselineBefore.reqPerSec.toFixed(0)} req/s at the start, ` +
        `${after.reqPerSec.toFixed(0)} at the end; the ratios use the mean`,
    });
    // Load figures are kept until the second baseline, which their ratios need.
    const loads: { figure: Figure; result: LoadResult; ratio: number; right: boolean }[] = [];
    const loadFigure = (name: string, how: string, result: LoadResult, ratio: number): Figure => ({
      name,
      how,
      target: `≥ ${ratio} × baseline`,
      pass: null,
      reqPerSec: result.reqPerSec,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      requests: result.requests,
      right: result.right,
      non2xx: result.non2xx,
      errors: result.errors,
    });

    if (wanted('verify')) {
      process.stdout.write('verify…\n');
      const verifyRun = {
        base,
        method: 'POST' as const,
        path: '/api/v1/verify',
        headers: api,
        bodies: cards.map((card) => JSON.stringify({ qr: credentialUrl(base, card.token) })),
        isRight: (status: number, body: string) =>
          status === 200 && body.includes('"verdict":"valid"'),
      };
      // The warm-up is one pass over the cards, each read from the database once: the figure
      // is then the steady state of repeated scans, the same on a slow machine as on a fast one
      // (a warm-up of fixed length would leave more first scans in the measured run of a slow
      // one). The first pass is reported beside it.
      const firstPass = await load({ ...verifyRun, amount: cards.length });
      const verify = await load(verifyRun);
      loads.push({
        figure: {
          ...loadFigure('verify', `POST /api/v1/verify, ${cards.length} cards`, verify, 0.6),
          note:
            `${verify.right} of ${verify.requests} answers were valid verdicts; the first ` +
            `pass over the cards before it (each read from the database): ` +
            `${firstPass.reqPerSec.toFixed(0)} req/s, p50 ${firstPass.p50Ms} ms`,
          firstPass,
        },
        result: verify,
        ratio: 0.6,
        right: verify.right === verify.requests,
      });
    }

    if (wanted('redeem')) {
      process.stdout.write('redeem…\n');
      const redeemBodies = [...measured, ...warmUp].map((voucher, index) =>
        JSON.stringify({
          qr: voucher.token,
          offerId,
          grossCents: 5_000 + (index % 100) * 100,
          idempotencyKey: `bench-${now.getTime()}-${index}`,
        }),
      );
      const redeemRun = {
        base,
        method: 'POST' as const,
        path: '/api/v1/redemptions',
        headers: api,
        isRight: (status: number) => status === 201,
      };
      const warmUpBodies = redeemBodies.slice(measured.length);
      await load({ ...redeemRun, bodies: warmUpBodies, amount: warmUpBodies.length });
      const redeem = await load({
        ...redeemRun,
        bodies: redeemBodies.slice(0, measured.length),
        amount: measured.length,
      });
      const written = await db('redemptions')
        .whereIn('voucher_id', measured.map((voucher) => voucher.id))
        .where({ kind: 'redeem' })
        .count({ n: '*' })
        .first();
      const rowsWritten = Number(written?.n ?? 0);
      const how = `POST /api/v1/redemptions, ${measured.length} vouchers`;
      loads.push({
        figure: {
          ...loadFigure('redeem', how, redeem, 0.35),
          rowsWritten,
          note: `${redeem.right} created (201), ${rowsWritten} rows written, ` +
            `${redeem.non2xx} other answers, ${redeem.errors} errors`,
        },
        result: redeem,
        ratio: 0.35,
        right: rowsWritten === redeem.right && redeem.right === measured.length,
      });
    }

    if (wanted('page')) {
      process.stdout.write('verdict page…\n');
      const session = await portalSession(base);
      const pageRun = {
        base,
        method: 'POST' as const,
        path: '/portal/verify',
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        bodies: cards.map((card) =>
          new URLSearchParams({ _csrf: session.csrf, qr: credentialUrl(base, card.token) })
            .toString(),
        ),
        isRight: (status: number, body: string) =>
          status === 200 && body.includes('name="idempotencyKey"'),
      };
      // As for verify, the warm-up is one pass over the cards.
      await load({ ...pageRun, amount: cards.length });
      const page = await load(pageRun);
      loads.push({
        figure: {
          ...loadFigure('verdict page', 'POST /portal/verify (HTML)', page, 0.4),
          note: `${page.right} of ${page.requests} pages showed a valid card's offers`,
        },
        result: page,
        ratio: 0.4,
        right: page.right === page.requests,
      });
    }

    process.stdout.write('baseline again…\n');
    const baselineAfter = await load(hello);
    await stopGroup(server.child);
    server = null;

    const baseline = baselineFigure(baselineAfter);
    figures.push(baseline);
    for (const { figure, result, ratio, right } of loads) {
      const fast = result.reqPerSec >= ratio * baseline.reqPerSec!;
      figures.push({
        ...figure,
        ratio: result.reqPerSec / baseline.reqPerSec!,
        pass: fast && right && result.errors === 0 && result.non2xx === 0,
      });
    }

    if (wanted('report')) {
      process.stdout.write('report…\n');
      const report = await measureReport(db, now);
      const reportP50 = median(report.times);
      figures.push({
        name: 'report',
        how: `regions, ${report.from} to ${report.to}`,
        target: 'p50 ≤ 50 ms',
        pass: reportP50 <= 50,
        p50Ms: reportP50,
        p99Ms: Math.max(...report.times),
        runs: report.times,
        note: `${report.redemptions} net redemptions in the period, over ` +
          `${Number(ready.rows).toLocaleString('en')} rows; p99 column is the slowest of ` +
          `${report.times.length} runs`,
      });
    }

    if (wanted('print')) {
      process.stdout.write('print…\n');
      figures.push(await measurePrint(cards, base));
    }

    if (wanted('start-up')) {
      process.stdout.write('start-up…\n');
      const startUp = await measureStartUp();
      const startUpMedian = median(startUp) / 1000;
      figures.push({
        name: 'start-up',
        how: 'npm start to the first 200, warm embedded folder',
        target: '≤ 3 s',
        pass: startUpMedian <= 3,
        seconds: startUpMedian,
        runs: startUp,
        note: `median of ${startUp.length} starts: ` +
          `${startUp.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s`,
      });
    }

    printTable(figures, host);
    const results = { measuredAt: now.toISOString(), machine: host, database: bench.kind, figures };
    fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`Written to bench/results.json\n`);
  } finally {
    if (server) {
      await stopGroup(server.child);
    }
    await bench.close();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
