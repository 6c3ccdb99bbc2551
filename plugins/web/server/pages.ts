import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { type AssetFile, getBundle } from './bundle.ts';
import { pageCsp } from './csp.ts';
import { PAGES } from './page-list.ts';

const DIR = join(import.meta.dirname, '..');
const read = (p: string) => readFileSync(join(DIR, p), 'utf8');

/** Where a page's nonce goes in its cached shell; replaced in every response. */
const NONCE_SLOT = 'NX-NONCE-SLOT';

/** A year: the name changes with the content, so a cached file is never stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Sends the brotli form when the browser takes it, else gzip, else the file as it is. */
function sendAsset(req: FastifyRequest, reply: FastifyReply, a: AssetFile, cacheControl: string) {
  const accepts = String(req.headers['accept-encoding'] ?? '');
  reply.type(a.type).header('cache-control', cacheControl).header('vary', 'accept-encoding');
  if (/\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(a.br);
  if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(a.gzip);
  return reply.send(a.raw);
}

/**
 * The pages (`/`, `/app/…`), their assets and the service worker. Each page is a server-rendered
 * shell (Handlebars escapes every value it prints); its content comes from the API through the
 * client script, which builds the DOM with textContent only. Shells are `no-cache` (asked again
 * each time, so a new release is picked up); assets are named by content hash and cached for a
 * year; `/sw.js` keeps its name and is `no-cache`.
 */
export const pageRoutes: FastifyPluginAsync = async (app) => {
  const hbs = Handlebars.create();
  hbs.registerPartial('nav', read('views/partials/nav.hbs'));
  const layout = hbs.compile(read('views/layout.hbs'), { strict: true });
  const shells = new Map<string, string>();
  const browser = app.nuanxin.browser;
  const bundle = () => getBundle(browser);
  // Bundle while the server starts, so the first page view does not wait for esbuild.
  bundle().catch((e: unknown) => app.log.error({ error: String(e) }, 'bundle failed'));

  /** The style nonce of a response, for the pages that need one (`styleNonce`). */
  const nonces = new WeakMap<FastifyRequest, string>();
  // Overrides the API's policy on every response of this plugin (pages and assets alike).
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('content-security-policy', pageCsp(nonces.get(req)));
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  app.get('/', async (_req, reply) => reply.redirect('/app/'));

  for (const spec of PAGES) {
    app.get(`/app${spec.path === '/' ? '/' : spec.path}`, async (req, reply) => {
      const b = await bundle();
      let html = shells.get(spec.page);
      if (html === undefined) {
        html = layout({
          title: spec.title,
          page: spec.page,
          script: b.main,
          css: b.css,
          preload: b.preload.get(spec.page) ?? [],
          nonce: spec.styleNonce ? NONCE_SLOT : '',
        });
        shells.set(spec.page, html);
      }
      if (spec.styleNonce) {
        const nonce = randomBytes(18).toString('base64');
        nonces.set(req, nonce);
        html = html.replace(NONCE_SLOT, nonce);
      }
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    });
  }

  app.get<{ Params: { file: string } }>('/app/assets/:file', async (req, reply) => {
    const b = await bundle();
    const a = b.files.get(`/app/assets/${req.params.file}`);
    if (!a) return reply.status(404).header('cache-control', 'no-store').send();
    return sendAsset(req, reply, a, IMMUTABLE);
  });

  app.get('/sw.js', async (req, reply) => sendAsset(req, reply, (await bundle()).serviceWorker, 'no-cache'));
};
