import path from 'node:path';

import { engine } from 'express-handlebars';
import type { Express } from 'express';
import type { HelperOptions } from 'handlebars';

const VIEWS_DIR = path.join(__dirname, '../../views');

/** The template's translate function, set per request in `res.locals`. */
type LocalTranslate = (key: string, params?: Record<string, unknown>) => string;

/** Sets up handlebars: layouts, partials and the few helpers templates need. */
export function useViews(app: Express): void {
  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(VIEWS_DIR, 'layouts'),
      partialsDir: path.join(VIEWS_DIR, 'partials'),
      helpers: {
        /** `{{t "verdict.valid"}}` or `{{t "verdict.remaining" count=2}}`, in the request's language. */
        t(key: string, options: HelperOptions) {
          const translate = options.data.root.t as LocalTranslate;

          return translate(key, options.hash);
        },
        eq: (left: unknown, right: unknown) => left === right,
        /** `{{t (concat "prefix." code)}}`: a translation key built from a value. */
        concat: (...parts: unknown[]) => parts.slice(0, -1).join(''),
      },
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', path.join(VIEWS_DIR, 'pages'));
}
