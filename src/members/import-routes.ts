import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Multer } from 'multer';

import { actorOf, requireAdmin } from '../admin/access';
import { Context } from '../context';
import { AppError, notFound } from '../errors';
import { clubUser, requireClubUser } from '../web/auth';
import type { ImportOutcome } from './import';
import { rosterTemplateCsv } from './roster/template';
import { ColumnMapping, ROSTER_FIELDS, RosterField } from './roster/types';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

let upload: Multer | undefined;

/**
 * Reads the uploaded roster before the CSRF check, which needs the form's fields: mounted ahead
 * of it, for signed-in administrators only. A file too large is a message, not an error page.
 */
export function rosterUploadParser(req: Request, res: Response, next: NextFunction): void {
  // NOTE: the upload library loads with the first upload rather than at every start.
  const multer = require('multer') as typeof import('multer');
  upload ??= multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_FILE_BYTES, files: 1 },
  });
  upload.single('roster')(req, res, (error: unknown) => {
    if (error instanceof multer.MulterError) {
      req.body = { ...(req.body ?? {}), uploadError: error.code };
      next();

      return;
    }
    next(error);
  });
}

/** Roster import pages: upload, check (dry run), map unknown columns, confirm. */
export function importRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/admin/members/import', requireClubUser, requireAdmin, showUploadForm);
  router.get('/admin/members/import/template.csv', requireClubUser, requireAdmin, sendTemplate);
  router.post('/admin/members/import', requireClubUser, requireAdmin, receiveUpload(ctx));
  router.post('/admin/members/import/:id', requireClubUser, requireAdmin, checkOrImport(ctx));

  return router;
}

/** For the page's "already uploaded" forms and for mappings posted back as `map[<index>]`. */
const isUploadId = (id: string) => /^[0-9a-f-]{36}$/.test(id);

function showUploadForm(req: Request, res: Response) {
  res.render('admin-import', { title: req.tr('adminImport.title'), isAdmin: true });
}

function sendTemplate(_req: Request, res: Response) {
  res.type('text/csv; charset=utf-8');
  res.attachment('modele_adherents.csv');
  res.send(rosterTemplateCsv());
}

function receiveUpload(ctx: Context) {
  return async (req: Request, res: Response) => {
    const file = req.file;
    if (!file || file.size === 0) {
      const key = req.body?.uploadError === 'LIMIT_FILE_SIZE' ? 'tooLarge' : 'noFile';
      res.status(422).render('admin-import', {
        title: req.tr('adminImport.title'),
        error: req.tr(`adminImport.errors.${key}`),
        isAdmin: true,
      });

      return;
    }

    // Yesterday's abandoned uploads go: a roster holds personal data.
    await ctx.db('roster_uploads').where('created_at', '<', new Date(Date.now() - 86_400_000)).del();
    const filename = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const [stored] = await ctx
      .db('roster_uploads')
      .insert({ filename, content: file.buffer, club_user_id: clubUser(req).id })
      .returning('id');
    await runAndRender(ctx, req, res, { id: stored.id, filename, content: file.buffer }, {}, true);
  };
}

/** The mapping the admin chose on the page: `map_<column index>` = field or empty. */
function postedMapping(body: Record<string, unknown>, headers: string[]): ColumnMapping {
  const mapping: Record<string, RosterField | null> = {};
  headers.forEach((header, index) => {
    const value = body[`map_${index}`];
    if (typeof value !== 'string') {
      return;
    }
    mapping[header] = (ROSTER_FIELDS as readonly string[]).includes(value) ? (value as RosterField) : null;
  });

  return mapping;
}

function checkOrImport(ctx: Context) {
  return async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const stored = isUploadId(id)
      ? await ctx.db('roster_uploads').where({ id, club_user_id: clubUser(req).id }).first()
      : undefined;
    if (!stored) {
      throw notFound();
    }
    const headers = typeof req.body?.headers === 'string' ? safeHeaders(req.body.headers) : [];
    const mapping = postedMapping(req.body ?? {}, headers);
    const dryRun = req.body?.confirm !== '1';
    await runAndRender(ctx, req, res, stored, mapping, dryRun);
  };
}

function safeHeaders(text: string): string[] {
  try {
    const value = JSON.parse(text);

    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    throw new AppError(400, 'bad_request');
  }
}

async function runAndRender(
  ctx: Context,
  req: Request,
  res: Response,
  stored: { id: string; filename: string; content: Buffer },
  mapping: ColumnMapping,
  dryRun: boolean,
) {
  // Loaded on first use: the spreadsheet reader takes seconds to load, and a start need not wait.
  const { importRoster } = require('./import') as typeof import('./import');
  const outcome = await importRoster(ctx.db, stored.content, {
    filename: stored.filename,
    mapping,
    dryRun,
    actor: actorOf(req),
    now: new Date(),
  });
  if (outcome.applied) {
    await ctx.db('roster_uploads').where({ id: stored.id }).del();
  }
  res.status(outcome.problems.length > 0 ? 422 : 200).render('admin-import-result', {
    title: req.tr('adminImport.title'),
    isAdmin: true,
    ...presentOutcome(req, outcome, stored, mapping, dryRun),
  });
}

function presentOutcome(
  req: Request,
  outcome: ImportOutcome,
  stored: { id: string; filename: string },
  mapping: ColumnMapping,
  dryRun: boolean,
) {
  const lang = req.lang;
  const needsMapping = outcome.problems.some((problem) =>
    ['columns_unrecognised', 'mapping_header_missing', 'column_duplicate'].includes(problem.code),
  );
  const headers = outcome.columns.map((column) => column.header);

  return {
    filename: stored.filename,
    uploadId: stored.id,
    dryRun,
    applied: outcome.applied,
    problems: outcome.problems.map((problem) => problem.message[lang]),
    counts: {
      created: outcome.created,
      updated: outcome.updated,
      unchanged: outcome.unchanged,
      periodsAdded: outcome.periodsAdded,
    },
    canConfirm: dryRun && outcome.problems.length === 0 && !outcome.applied,
    headersJson: JSON.stringify(headers),
    mappingFields: Object.entries(mapping).map(([header, field]) => ({
      index: headers.indexOf(header),
      field: field ?? '',
    })),
    columns: needsMapping
      ? outcome.columns.map((column, index) => ({
          index,
          header: column.header,
          options: [
            { value: '', label: req.tr('adminImport.ignore'), selected: column.field === null },
            ...ROSTER_FIELDS.map((field) => ({
              value: field,
              label: req.tr(`adminImport.fields.${field}`),
              selected: column.field === field,
            })),
          ],
        }))
      : null,
  };
}
