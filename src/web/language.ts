import type { NextFunction, Request, Response } from 'express';
import type { i18n } from 'i18next';
import { handle } from 'i18next-http-middleware';

import { Context } from '../context';
import { DEFAULT_LANGUAGE, direction, isLanguage, Language, LANGUAGES } from '../i18n';

/** Picks the reader's language (see createI18n) and exposes `t`, `lang` and `dir` to templates. */
export function languageMiddleware(instance: i18n) {
  // The API is stateless: it sets no cookie and reads the language from Accept-Language alone.
  const detect = handle(instance, { ignoreRoutes: ['/api/'] });

  return [
    detect,
    (req: Request, res: Response, next: NextFunction) => {
      // CASE: a Moroccan browser asks for `ar-MA` or `fr-MA`; the detector passes the region on.
      const detected = String(req.language ?? req.acceptsLanguages(...LANGUAGES) ?? '');
      const base = detected.split(/[-_]/)[0].toLowerCase();
      const lang: Language = isLanguage(base) ? base : DEFAULT_LANGUAGE;
      const t = instance.getFixedT(lang);
      req.lang = lang;
      req.tr = t;
      res.locals.lang = lang;
      res.locals.dir = direction(lang);
      res.locals.t = (key: string, params?: Record<string, unknown>) => t(key, params ?? {});
      res.locals.otherLang = lang === 'ar' ? 'fr' : 'ar';
      next();
    },
  ];
}

/** The cookie that remembers the reader's language (i18next's detector reads it). */
export const LANGUAGE_COOKIE = 'lang';

/** Sets the language cookie, as the detector does when `?lang=` is given. */
export function rememberLanguageCookie(res: Response, lang: Language): void {
  res.cookie(LANGUAGE_COOKIE, lang, { maxAge: 365 * 86_400_000, sameSite: 'lax', path: '/' });
}

/**
 * Keeps a signed-in partner user's language choice (`?lang=fr|ar` on any page) on their account,
 * so that the next login, on any device, opens the portal in that language.
 */
export function rememberUserLanguage(ctx: Context) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const user = req.session.user;
    const chosen = req.query.lang;
    if (user?.kind === 'partner' && isLanguage(chosen)) {
      await ctx.db('partner_users')
        .where({ id: user.id })
        .whereRaw('language is distinct from ?', [chosen])
        .update({ language: chosen, updated_at: ctx.db.fn.now() });
    }
    next();
  };
}
