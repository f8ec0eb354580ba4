import type { NextFunction, Request, Response } from 'express';
import type { i18n, TFunction } from 'i18next';

import { Context } from '../context';
import { DEFAULT_LANGUAGE, direction, isLanguage, Language, LANGUAGES } from '../i18n';

/** The detector createI18n registers, as used here (its published typings omit the result). */
interface RequestLanguageDetector {
  /** The detected language; names the source that gave it in `req.i18nextLookupName`. */
  detect(req: Request, res: Response): string | undefined;
  cacheUserLanguage(req: Request, res: Response, lng: string): void;
}

/**
 * Picks the reader's language with the detector set up in createI18n (`?lang=`, then the
 * remembered cookie, then Accept-Language) and exposes `t`, `lang` and `dir` to templates.
 *
 * Texts never change while the app runs and nothing here changes the shared instance's language,
 * so every request uses translate functions fixed once per language at start, which remember
 * what they answered.
 */
export function languageMiddleware(instance: i18n) {
  const detector = instance.services.languageDetector as RequestLanguageDetector | undefined;
  if (!detector) {
    throw new Error('the i18n instance has no language detector');
  }
  const translators = {
    fr: remembering(instance.getFixedT('fr')),
    ar: remembering(instance.getFixedT('ar')),
  };

  return (req: Request, res: Response, next: NextFunction) => {
    let detected: string;
    if (req.path.startsWith('/api/')) {
      // The API is stateless: it sets no cookie and reads the language from Accept-Language alone.
      detected = req.acceptsLanguages(...LANGUAGES) || '';
    } else {
      detected = String(detector.detect(req, res) ?? '');
      // Only a choice made on the page (`?lang=`) is remembered; the cookie then carries it.
      if (req.i18nextLookupName === 'querystring') {
        detector.cacheUserLanguage(req, res, detected);
      }
    }
    // CASE: a Moroccan browser asks for `ar-MA` or `fr-MA`; the detector passes the region on.
    const base = detected.split(/[-_]/)[0].toLowerCase();
    const lang: Language = isLanguage(base) ? base : DEFAULT_LANGUAGE;
    req.lang = lang;
    req.tr = translators[lang];
    req.trIn = translators;
    res.setHeader('Content-Language', lang);
    res.locals.lang = lang;
    res.locals.dir = direction(lang);
    res.locals.t = translators[lang];
    res.locals.otherLang = lang === 'ar' ? 'fr' : 'ar';
    next();
  };
}

/** Texts remembered per language: keys are a few hundred, names and counts add a few more. */
const TEXTS_REMEMBERED = 5_000;

/**
 * A translate function for one language that remembers its answers. Texts are loaded at start
 * and never change while the app runs, so the same key with the same parameters always gives the
 * same text: a page asks for dozens, most of them every time, and i18next's own lookup and
 * interpolation cost more than the page's template. Only parameters of plain values (strings,
 * numbers, booleans) are remembered; anything else is translated afresh.
 */
function remembering(t: TFunction): TFunction {
  const texts = new Map<string, string>();
  const translate = (key: string, params?: Record<string, unknown>): string => {
    let memo = key;
    if (params) {
      for (const [name, value] of Object.entries(params)) {
        const kind = typeof value;
        if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') {
          return t(key, params);
        }
        memo += `\u0000${name}\u0000${String(value)}`;
      }
    }

    let text = texts.get(memo);
    if (text === undefined) {
      text = t(key, params);
      // The bound only guards against a flood of distinct names: start again past it.
      if (texts.size >= TEXTS_REMEMBERED) {
        texts.clear();
      }
      texts.set(memo, text);
    }

    return text;
  };

  return translate as TFunction;
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
