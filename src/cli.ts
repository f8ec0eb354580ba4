import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { boot, Runtime } from './boot';
import { qrPng, qrSvg } from './cards/qr';
import { cardFile } from './cards/downloads';
import { CardRow, issueCard } from './cards/service';
import { ConfigError } from './config';
import { registerBuiltInJobs } from './jobs';
import { createActivationCode } from './members/accounts';
import { findJob, registeredJobs, runJobForSlot } from './jobs/runner';
import { rotateSigningKey } from './credentials/keys';
import { AppError } from './errors';
import { listOffers, offersCsv } from './offers/catalogue';
import { createApiKey, createPartnerUser, findPartnerByCode, partnerMayRedeem } from './partners/service';
import { regionReportCsv } from './reports/csv';
import { regionReport } from './reports/regions';
import { rollUpRedemptions } from './reports/rollups';
import { businessDate, isIsoDate } from './time';
import { formatVoucherCode } from './vouchers/repository';
import { issueVoucher } from './vouchers/service';

/** A mistake in how the command was called: printed as it is, exit code 2. */
class UsageError extends Error {}

type Options = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  /** Whether the command takes bare arguments (e.g. a job's name) besides its options. */
  positionals?: boolean;
  run(runtime: Runtime, options: Options, positionals: string[]): Promise<string>;
}

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(`--${name} is required`);
  }

  return value;
}

/** Fails with a plain message when a file cannot be written where the user asked. */
function assertWritable(file: string): void {
  const folder = path.dirname(path.resolve(file));
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch {
    throw new UsageError(`cannot write ${file}: the folder ${folder} does not exist or is not writable`);
  }
}

function optionalDate(options: Options, name: string, fallback: string): string {
  const value = options[name];
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw new UsageError(`--${name} must be a date written YYYY-MM-DD`);
  }

  return value;
}

const COMMANDS: Record<string, Command> = {
  'card:issue': {
    usage: 'card:issue --member <number> [--dependant <id>] [--png <file>] [--svg <file>] [--pdf <file>]',
    options: {
      member: { type: 'string' },
      dependant: { type: 'string' },
      png: { type: 'string' },
      svg: { type: 'string' },
      pdf: { type: 'string' },
    },
    async run({ ctx, i18n }, options) {
      const dependant = options.dependant === undefined ? undefined : Number(options.dependant);
      if (dependant !== undefined && !Number.isSafeInteger(dependant)) {
        throw new UsageError('--dependant must be a dependant id (a number)');
      }

      const images = [options.png, options.svg].filter((file): file is string => typeof file === 'string');
      // Before the card is issued (which revokes the holder's previous one), not after.
      images.forEach(assertWritable);
      const card = await issueCard(ctx, { memberNumber: required(options, 'member'), dependantId: dependant });
      if (card.replaced > 0) {
        process.stderr.write(`The holder's previous card is revoked: only this one is valid now.\n`);
      }
      if (typeof options.png === 'string') {
        fs.writeFileSync(options.png, await qrPng(card.url));
      }
      if (typeof options.svg === 'string') {
        fs.writeFileSync(options.svg, await qrSvg(card.url));
      }
      if (typeof options.pdf === 'string') {
        const row = await ctx.db<CardRow>('cards').where({ id: card.id }).first();
        const translators = { fr: i18n.getFixedT('fr'), ar: i18n.getFixedT('ar') };
        fs.writeFileSync(options.pdf, (await cardFile(ctx, row!, 'pdf', translators)).body);
      }

      return card.url;
    },
  },
  'partner:api-key': {
    usage: 'partner:api-key --partner <code>',
    options: { partner: { type: 'string' } },
    async run({ ctx }, options) {
      const key = await createApiKey(ctx.db, required(options, 'partner'));
      await warnWithoutAgreement(ctx, required(options, 'partner'));

      return key;
    },
  },
  'partner:user': {
    usage: 'partner:user --partner <code> --email <e> --password <p> [--role staff|manager] [--name <n>]',
    options: {
      partner: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
    },
    async run({ ctx }, options) {
      const role = options.role ?? 'staff';
      if (role !== 'staff' && role !== 'manager') {
        throw new UsageError('--role must be staff or manager');
      }

      const email = required(options, 'email');
      await createPartnerUser(ctx.db, {
        partnerCode: required(options, 'partner'),
        email,
        password: required(options, 'password'),
        role,
        name: typeof options.name === 'string' ? options.name : undefined,
      });
      await warnWithoutAgreement(ctx, required(options, 'partner'));

      return `${email.trim().toLowerCase()} (${role})`;
    },
  },
  'members:import': {
    usage: 'members:import <file.csv|file.xlsx> [--dry-run]',
    options: { 'dry-run': { type: 'boolean' } },
    positionals: true,
    async run({ ctx }, options, positionals) {
      if (positionals.length !== 1) {
        throw new UsageError('give exactly one roster file (CSV or XLSX)');
      }

      // Loaded here: the spreadsheet reader takes seconds to load, and other commands need not.
      const { importRosterFile } = require('./members/import-cli') as typeof import('./members/import-cli');

      return importRosterFile(ctx.db, positionals[0], { dryRun: options['dry-run'] === true });
    },
  },
  'report:regions': {
    usage: 'report:regions [--from YYYY-MM-DD] [--to YYYY-MM-DD]',
    options: { from: { type: 'string' }, to: { type: 'string' } },
    async run({ ctx }, options) {
      const today = businessDate(new Date());
      const from = optionalDate(options, 'from', `${today.slice(0, 4)}-01-01`);
      const to = optionalDate(options, 'to', today);
      if (from > to) {
        throw new UsageError('--from must not be after --to');
      }

      return regionReportCsv(await regionReport(ctx.db, { from, to })).trimEnd();
    },
  },
  'report:rollup': {
    usage: 'report:rollup',
    options: {},
    async run({ ctx }) {
      const run = await rollUpRedemptions(ctx.db);

      return run.toId === run.fromId
        ? 'nothing new to roll up'
        : `${run.rows} redemptions rolled up (ids ${run.fromId + 1} to ${run.toId})`;
    },
  },
  'offers:list': {
    usage: 'offers:list [--partner <code>]',
    options: { partner: { type: 'string' } },
    async run({ ctx }, options) {
      const partnerCode = typeof options.partner === 'string' ? options.partner : undefined;

      return offersCsv(await listOffers(ctx.db, { partnerCode })).trimEnd();
    },
  },
  'voucher:issue': {
    usage: 'voucher:issue --member <number> --offer <id> [--dependant <id>]',
    options: {
      member: { type: 'string' },
      offer: { type: 'string' },
      dependant: { type: 'string' },
    },
    async run({ ctx }, options) {
      const offerId = Number(required(options, 'offer'));
      if (!Number.isSafeInteger(offerId) || offerId <= 0) {
        throw new UsageError('--offer must be an offer id (a number; see offers:list)');
      }
      const dependant = options.dependant === undefined ? undefined : Number(options.dependant);
      if (dependant !== undefined && !Number.isSafeInteger(dependant)) {
        throw new UsageError('--dependant must be a dependant id (a number)');
      }

      const issued = await issueVoucher(ctx, {
        memberNumber: required(options, 'member'),
        offerId,
        dependantId: dependant,
      });

      return `${issued.url}\n${formatVoucherCode(issued.voucher.code)}`;
    },
  },
  'member:activation': {
    usage: 'member:activation --member <number>',
    options: { member: { type: 'string' } },
    async run({ ctx }, options) {
      const { code, expiresAt } = await createActivationCode(ctx.db, required(options, 'member'));

      process.stderr.write(
        `Valid once, until ${expiresAt.toISOString()}: the member sets a password at ` +
          '/member/activate. Any password they had stops working now.\n',
      );

      return code;
    },
  },
  'jobs:run': {
    usage: 'jobs:run <expire-vouchers|lapse-memberships|...> [--date YYYY-MM-DD]',
    options: { date: { type: 'string' } },
    positionals: true,
    async run({ ctx }, options, positionals) {
      registerBuiltInJobs();
      const job = positionals.length === 1 ? findJob(positionals[0]) : undefined;
      if (!job) {
        const names = registeredJobs().map((known) => known.name).join(', ');
        throw new UsageError(`name one job to run: ${names}`);
      }

      const now = new Date();
      const slot = optionalDate(options, 'date', businessDate(now));
      const result = await runJobForSlot(ctx, job, slot, now);

      return result.ran
        ? `${job.name} ${slot}: ${result.outcome}`
        : `${job.name} ${slot}: already ran for this business date`;
    },
  },
  'key:rotate': {
    usage: 'key:rotate',
    options: {},
    async run({ ctx }) {
      return rotateSigningKey(ctx.db);
    },
  },
  'db:migrate': {
    usage: 'db:migrate',
    options: {},
    async run() {
      return 'database is up to date';
    },
  },
};

/** A partner whose agreement has ended can log in but not redeem: say so to the operator. */
async function warnWithoutAgreement(ctx: Runtime['ctx'], code: string): Promise<void> {
  const partner = await findPartnerByCode(ctx.db, code);
  if (partner && !(await partnerMayRedeem(ctx.db, partner, new Date()))) {
    process.stderr.write(
      `Note: ${partner.code} has no current agreement (or is suspended): it cannot redeem until it has one.\n`,
    );
  }
}

function help(): string {
  return ['Usage: npm run cli -- <command> [options]', '', 'Commands:']
    .concat(Object.values(COMMANDS).map((command) => `  ${command.usage}`))
    .join('\n');
}

/** Runs one command; its result alone goes to stdout, everything else to stderr. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${name ? `Unknown command: ${name}\n\n` : ''}${help()}\n`);

    return 2;
  }

  let options: Options;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: rest,
      options: command.options,
      strict: true,
      allowPositionals: command.positionals ?? false,
    });
    options = parsed.values as Options;
    positionals = parsed.positionals;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: npm run cli -- ${command.usage}\n`);

    return 2;
  }

  let runtime: Runtime | undefined;
  try {
    runtime = await boot();
    const output = await command.run(runtime, options, positionals);
    process.stdout.write(`${output}\n`);

    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\nUsage: npm run cli -- ${command.usage}\n`);

      return 2;
    }
    if (error instanceof AppError || error instanceof ConfigError) {
      process.stderr.write(`Error: ${error instanceof AppError ? cliMessage(error) : error.message}\n`);

      return 1;
    }
    throw error;
  } finally {
    await runtime?.close();
  }
}

function cliMessage(error: AppError): string {
  if (typeof error.details?.report === 'string') {
    return error.details.report;
  }
  const messages: Record<string, string> = {
    member_not_found: 'no member has that number',
    dependant_not_found: 'that dependant does not belong to this member',
    no_paid_membership: 'the member has no paid membership period that is still running',
    member_not_active: 'the member is suspended, lapsed or cancelled: no card can be issued',
    email_invalid: 'that is not a valid e-mail address',
    partner_not_found: 'no partner has that code',
    email_taken: 'a login with that e-mail already exists',
    password_too_short: 'the password must have at least 8 characters',
    offer_not_found: 'no offer has that id',
    card_offer: 'that offer is used with the card alone: it has no vouchers',
    holder_not_in_good_standing: 'the member is not in good standing today',
    offer_not_available: 'the offer is not open today',
    partner_not_allowed: "the partner's agreement does not cover today",
    offer_out_of_scope: "the offer does not reach the member's provinces or region",
    dependant_not_eligible: 'the offer is for members only, not their dependants',
    quota_reached: "the offer's quota is used up",
    limit_reached: 'the holder already has every voucher this offer allows in the period',
  };

  return messages[error.code] ?? error.code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`Error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
