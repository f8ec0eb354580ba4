import type { NextFunction, Request, Response } from 'express';
import type { i18n } from 'i18next';
import { handle } from 'i18next-http-middleware';

import { DEFAULT_LANGUAGE, direction, isLanguage, Language, LANGUAGES } from '../i18n';

/** Picks the reader's language (see createI18n) and exposes `t`, `lang` and `dir` to templates. */
export function languageMiddleware(instance: i18n) {
  // The API is stateless: it sets no cookie and reads the language from Accept-Language alone.
  const detect = handle(instance, { ignoreRoutes: ['/api/'] });

  return [
    detect,
    (req: Request, res: Response, next: NextFunction) => {
      // `ar-MA` and `fr-FR` are Arabic and French: only the primary subtag matters here.
      const detected = String(req.language ?? req.acceptsLanguages(...LANGUAGES) ?? '')
        .split(/[-_]/)[0]
        .toLowerCase();
      const lang: Language = isLanguage(detected) ? detected : DEFAULT_LANGUAGE;
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
