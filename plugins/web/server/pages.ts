import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import Handlebars from 'handlebars';
import { getBundle } from './bundle.ts';
import { PAGE_CSP } from './csp.ts';
import { PAGES } from './page-list.ts';

const DIR = join(import.meta.dirname, '..');
const read = (p: string) => readFileSync(join(DIR, p), 'utf8');

/**
 * The pages (`/`, `/app/…`) and their two assets. Each page is a server-rendered shell
 * (Handlebars escapes every value it prints); its content comes from the API through the client
 * script, which builds the DOM with textContent only.
 */
export const pageRoutes: FastifyPluginAsync = async (app) => {
  const hbs = Handlebars.create();
  hbs.registerPartial('nav', read('views/partials/nav.hbs'));
  const layout = hbs.compile(read('views/layout.hbs'), { strict: true });
  const css = read('assets/app.css');

  // Overrides the API's policy on every response of this plugin (pages and assets alike).
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', PAGE_CSP);
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  app.get('/', async (_req, reply) => reply.redirect('/app/'));

  for (const spec of PAGES) {
    const html = layout({ title: spec.title, page: spec.page });
    app.get(`/app${spec.path === '/' ? '/' : spec.path}`, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html),
    );
  }

  app.get('/app/assets/app.js', async (req, reply) => {
    const b = await getBundle();
    reply.header('etag', b.etag).header('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === b.etag) return reply.status(304).send();
    return reply.type('text/javascript; charset=utf-8').send(b.code);
  });

  app.get('/app/assets/app.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(css),
  );
};
