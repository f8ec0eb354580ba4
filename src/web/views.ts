import fs from 'node:fs';
import path from 'node:path';

import type { Express } from 'express';
import Handlebars, { type HelperOptions, type TemplateDelegate } from 'handlebars';

const VIEWS_DIR = path.join(__dirname, '../../views');
const PARTIALS_DIR = path.join(VIEWS_DIR, 'partials');
const LAYOUT = path.join(VIEWS_DIR, 'layouts', 'main.hbs');

/** The template's translate function, set per request in `res.locals`. */
type LocalTranslate = (key: string, params?: Record<string, unknown>) => string;

/** The few helpers templates need. */
const helpers = {
  /** `{{t "verdict.valid"}}` or `{{t "verdict.remaining" count=2}}`, in the request's language. */
  t(key: string, options: HelperOptions) {
    const translate = options.data.root.t as LocalTranslate;

    return translate(key, options.hash);
  },
  eq: (left: unknown, right: unknown) => left === right,
  /** `{{t (concat "prefix." code)}}`: a translation key built from a value. */
  concat: (...parts: unknown[]) => parts.slice(0, -1).join(''),
};

/**
 * Handlebars pages in `views/pages`, each rendered into the one layout, with the partials of
 * `views/partials`. When Express caches views (production), every template is compiled once and
 * a page renders without touching the disk; otherwise templates are read again on each render,
 * so that an edited template shows on the next reload.
 */
class Views {
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, TemplateDelegate>();
  private partialsLoaded = false;

  constructor() {
    this.handlebars.registerHelper(helpers);
  }

  render(file: string, context: Record<string, unknown>, cache: boolean): string {
    this.loadPartials(cache);
    const body = this.template(file, cache)(context);

    return this.template(LAYOUT, cache)({ ...context, body });
  }

  private template(file: string, cache: boolean): TemplateDelegate {
    let template = cache ? this.compiled.get(file) : undefined;
    if (!template) {
      template = this.handlebars.compile(fs.readFileSync(file, 'utf8'));
      if (cache) {
        this.compiled.set(file, template);
      }
    }

    return template;
  }

  private loadPartials(cache: boolean): void {
    if (cache && this.partialsLoaded) {
      return;
    }

    for (const name of fs.readdirSync(PARTIALS_DIR)) {
      if (name.endsWith('.hbs')) {
        const source = fs.readFileSync(path.join(PARTIALS_DIR, name), 'utf8');
        const partial = this.handlebars.compile(source);
        this.handlebars.registerPartial(name.slice(0, -'.hbs'.length), partial);
      }
    }
    this.partialsLoaded = cache;
  }
}

/** Sets up handlebars as the app's view engine: `res.render('verdict', locals)`. */
export function useViews(app: Express): void {
  const views = new Views();
  app.engine('hbs', (file, options, callback) => {
    let html: string;
    try {
      const context = options as Record<string, unknown>;
      html = views.render(file, context, Boolean(context.cache));
    } catch (error) {
      callback(error);

      return;
    }
    callback(null, html);
  });
  app.set('view engine', 'hbs');
  app.set('views', path.join(VIEWS_DIR, 'pages'));
}
