/**
 * The page delivery Nuanxin had before the phone-profile work, rebuilt in the same run as the
 * baseline of `bench/cases/page-load.ts`: the whole client as one unminified IIFE
 * (`/app/assets/app.js`, ETag, `no-cache`, no compression), `app.css` with `no-cache`, and no
 * service worker. A small front server on its own port serves those two files and the page shells
 * (taken from the real server, their script and style tags put back as they were) and passes
 * every other request (the API) through to the real server.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { BrowserPlugins } from '../../engine/entry/runtime.ts';
import { browserEngine, browserPlugins } from '../../plugins/web/server/bundle.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'plugins', 'web', 'client', 'main.ts');
/** The old build: one IIFE, not minified (dynamic imports of pages are inlined by esbuild). */
export async function legacyBundle(browser: BrowserPlugins): Promise<string> {
  const out = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    plugins: [browserEngine, browserPlugins(browser)],
  });
  return out.outputFiles[0]?.text ?? '';
}

const OLD_HEAD =
  '<link rel="stylesheet" href="/app/assets/app.css">\n<script src="/app/assets/app.js" defer></script>\n';

/** The front server; `url` is its origin; `browser`: the server's plugins' browser modules. */
export async function startLegacyFront(
  upstream: string,
  browser: BrowserPlugins,
): Promise<{ url: string; close(): Promise<void> }> {
  const code = await legacyBundle(browser);
  const css = readFileSync(join(ROOT, 'plugins', 'web', 'assets', 'app.css'), 'utf8');
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 16)}"`;
  const up = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/app/assets/app.js') {
      res.setHeader('etag', etag);
      res.setHeader('cache-control', 'no-cache');
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return void res.end(code);
    }
    if (path === '/app/assets/app.css') {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' });
      return void res.end(css);
    }
    // The old page had no service worker: its registration fails quietly.
    if (path === '/sw.js') return void res.writeHead(404).end();
    if (req.method === 'GET' && path.startsWith('/app/') && !path.startsWith('/app/assets/')) {
      void fetch(`${upstream}${req.url}`).then(async (r) => {
        const html = (await r.text())
          .replace(/<link rel="(?:stylesheet|modulepreload|manifest)"[^>]*>\n?/g, '')
          .replace(/<script[^>]*><\/script>\n?/g, '')
          .replace('</head>', `${OLD_HEAD}</head>`);
        res.writeHead(r.status, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': r.headers.get('content-security-policy') ?? '',
        });
        res.end(html);
      });
      return;
    }
    const fwd = request(
      { host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    fwd.on('error', () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
