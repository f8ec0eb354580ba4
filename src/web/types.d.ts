import 'express-session';
import type { TFunction } from 'i18next';

import type { Language } from '../i18n';

/** Who is signed in to the portal. */
export type SessionUser =
  | { kind: 'partner'; id: number; partnerId: number; role: 'staff' | 'manager'; name: string }
  | { kind: 'club'; id: number; role: 'admin' | 'coordinator'; regions: string[]; name: string }
  | { kind: 'member'; id: number; number: string; name: string };

declare global {
  namespace Express {
    interface Request {
      lang: Language;
      tr: TFunction;
      /** Both languages' translate functions, for documents printed in French and Arabic. */
      trIn: Record<Language, TFunction>;
      requestId?: string;
      /** Where the language detector found the language: `querystring`, `cookie` or `header`. */
      i18nextLookupName?: string;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    user?: SessionUser;
  }
}
