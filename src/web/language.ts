import type { NextFunction, Request, Response } from 'express';
import type { i18n, TFunction } from 'i18next';
import { handle } from 'i18next-http-middleware';

import { Context } from '../context';
import { DEFAULT_LANGUAGE, direction, isLanguage, Language, LANGUAGES } from '../i18n';

/** Picks the reader's language (see createI18n) and exposes `t`, `lang` and `dir` to templates. */
export function languageMiddleware(instance: i18n) {
  // The API is stateless: it sets no cookie and reads the language from Accept-Language alone.
  const detect = handle(instance, { ignoreRoutes: ['/api/'] });
  const fixed = new Map(LANGUAGES.map((lang) => [lang, instance.getFixedT(lang)]));
  const forTemplates = new Map(LANGUAGES.map((lang) => [lang, remembering(fixed.get(lang)!)]));

  return [
    detect,
    (req: Request, res: Response, next: NextFunction) => {
      // CASE: a Moroccan browser asks for `ar-MA` or `fr-MA`; the detector passes the region on.
      const detected = String(req.language ?? req.acceptsLanguages(...LANGUAGES) ?? '');
      const base = detected.split(/[-_]/)[0].toLowerCase();
      const lang: Language = isLanguage(base) ? base : DEFAULT_LANGUAGE;
      req.lang = lang;
      req.tr = fixed.get(lang)!;
      res.locals.lang = lang;
      res.locals.dir = direction(lang);
      res.locals.t = forTemplates.get(lang)!;
      res.locals.otherLang = lang === 'ar' ? 'fr' : 'ar';
      next();
    },
  ];
}

/**
 * A template's translate function for one language. Texts are loaded at start and never change
 * while the app runs, so a text asked for without parameters is looked up once and remembered:
 * a page asks for dozens of them.
 */
function remembering(t: TFunction) {
  const texts = new Map<string, string>();

  return (key: string, params?: Record<string, unknown>): string => {
    if (params && Object.keys(params).length > 0) {
      return t(key, params);
    }

    let text = texts.get(key);
    if (text === undefined) {
      text = t(key);
      // Keys are the templates' own, a few hundred; the bound only guards against surprises.
      if (texts.size < 5_000) {
        texts.set(key, text);
      }
    }

    return text;
  };
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
