import i18next, { i18n, TFunction } from 'i18next';
import { LanguageDetector } from 'i18next-http-middleware';

import ar from './ar.json';
import fr from './fr.json';

export const LANGUAGES = ['fr', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'fr';

/** The translation resources, one file per language; a test checks both have every key. */
export const resources = { fr: { translation: fr }, ar: { translation: ar } };

/** Creates the i18next instance shared by the portal, the public pages and the API. */
export async function createI18n(): Promise<i18n> {
  const instance = i18next.createInstance().use(LanguageDetector);
  await instance.init({
    // `?lang=fr|ar` on any URL (then remembered in a cookie), else the remembered choice, else
    // the browser's Accept-Language, else French.
    detection: {
      order: ['querystring', 'cookie', 'header'],
      lookupQuerystring: 'lang',
      lookupCookie: 'lang',
      caches: ['cookie'],
      cookieExpirationDate: new Date(Date.now() + 365 * 86_400_000),
      cookieSameSite: 'lax',
    },
    resources,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    interpolation: { escapeValue: false },
    returnNull: false,
  });

  return instance;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function direction(language: Language): 'ltr' | 'rtl' {
  return language === 'ar' ? 'rtl' : 'ltr';
}

export type Translate = TFunction;
