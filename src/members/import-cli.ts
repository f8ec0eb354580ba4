import fs from 'node:fs';
import path from 'node:path';

import { Db } from '../db';
import { AppError } from '../errors';
import { ImportOutcome, importRoster } from './import';

function summary(outcome: ImportOutcome, dryRun: boolean): string {
  const verb = dryRun ? 'would be' : 'were';

  return [
    `${outcome.created} new members ${verb} created, ${outcome.updated} updated, ` +
      `${outcome.unchanged} left unchanged; ${outcome.periodsAdded} membership periods ${verb} added.`,
    dryRun ? 'Dry run: nothing was written.' : 'Import done.',
  ].join('\n');
}

/** Every problem, one a line, in the club's French (each message names its row). */
export function problemLines(outcome: ImportOutcome): string {
  return outcome.problems.map((problem) => problem.message.fr).join('\n');
}

/**
 * `members:import`: reads a roster file from disk and imports it, or only checks it with
 * `dryRun`. Any problem fails the whole command, with every problem listed.
 */
export async function importRosterFile(db: Db, file: string, options: { dryRun: boolean }): Promise<string> {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch {
    throw new AppError(400, 'file_not_found', 'errors.bad_request', { report: `cannot read ${file}` });
  }

  const outcome = await importRoster(db, content, {
    filename: path.basename(file),
    dryRun: options.dryRun,
    actor: 'cli',
    now: new Date(),
  });
  if (outcome.problems.length > 0) {
    throw new AppError(422, 'roster_problems', 'errors.bad_request', {
      report: `${outcome.problems.length} problem(s); nothing was written.\n${problemLines(outcome)}`,
    });
  }

  return summary(outcome, options.dryRun);
}
