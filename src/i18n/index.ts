import i18next, { i18n, TFunction } from 'i18next';
import { LanguageDetector } from 'i18next-http-middleware';

import fs from 'node:fs';
import path from 'node:path';

export const LANGUAGES = ['fr', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'fr';

const LOCALES_DIR = path.join(__dirname, 'locales');

type Messages = { [key: string]: string | Messages };

function mergeInto(target: Messages, source: Messages, file: string, prefix = ''): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (typeof value === 'object' && (existing === undefined || typeof existing === 'object')) {
      target[key] = existing ?? {};
      mergeInto(target[key] as Messages, value, file, `${prefix}${key}.`);
    } else if (existing !== undefined) {
      throw new Error(`Translation key ${prefix}${key} is defined twice (again in ${file})`);
    } else {
      target[key] = value;
    }
  }
}

/**
 * The texts of one language: every JSON file in `locales/<language>/`, one per part of the
 * product, merged. A test checks that both languages have exactly the same keys.
 */
export function loadMessages(language: Language): Messages {
  const dir = path.join(LOCALES_DIR, language);
  const messages: Messages = {};
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    mergeInto(messages, JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), file);
  }

  return messages;
}

export const resources = {
  fr: { translation: loadMessages('fr') },
  ar: { translation: loadMessages('ar') },
};

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
