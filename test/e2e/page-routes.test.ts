import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../engine/entry/server.ts';
import { buildApp, definePlugin, ENGINE_VERSION, loadPlugins } from '../../engine/index.ts';
import { pluginAppOptions } from '../../engine/server/plugin-bridge.ts';
import web from '../../plugins/web/index.ts';
import { getBundle } from '../../plugins/web/server/bundle.ts';
import { PAGES } from '../../plugins/web/server/page-list.ts';

/**
 * The web plugin through the public plugin API, without a browser: pages at the site root with
 * the strict policy, the API untouched, and no plugin able to put a page under /api/.
 */

type App = Awaited<ReturnType<typeof buildApp>>;

async function appWith(...plugins: ReturnType<typeof definePlugin>[]): Promise<App> {
  const builtins = Object.fromEntries(plugins.map((p) => [p.name, p]));
  const loaded = await loadPlugins(
    { plugins: plugins.map((p) => p.name) },
    { engineVersion: ENGINE_VERSION, builtins },
  );
  return buildApp({ db: createDatabase(':memory:'), ...pluginAppOptions(loaded) });
}

describe('web plugin page routes', () => {
  let app: App;
  beforeAll(async () => {
    app = await appWith(web);
  }, 30_000);
  afterAll(async () => {
    await app?.close();
  });

  it('serves every page shell with the strict policy and no inline code', async () => {
    for (const spec of PAGES) {
      const url = `/app${spec.path.replace(/:(\w+)/g, 'x')}`;
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(String(r.headers['content-security-policy'])).toMatch(/script-src 'self';/);
      expect(String(r.headers['content-security-policy'])).not.toContain('unsafe');
      expect(r.body).toContain(`data-page="${spec.page}"`);
      expect(r.body).toMatch(/<script type="module" src="\/app\/assets\/main-[\w-]+\.js"><\/script>/);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body).not.toMatch(/<script>|<style|style="/);
    }
  });

  it('serves the standards page shell at /app/admin/parameters', async () => {
    expect(PAGES.map((p) => p.path)).toContain('/admin/parameters');
    const r = await app.inject({ method: 'GET', url: '/app/admin/parameters' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('data-page="parameters"');
    expect(r.body).toContain('参数标准');
  });

  it('sends / to the app and leaves the API to the engine', async () => {
    const root = await app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/app/');
    const api = await app.inject({ method: 'GET', url: '/api/me' });
    expect(api.statusCode).toBe(401);
    expect(String(api.headers['content-security-policy'])).not.toContain("style-src 'self';");
  });

  it('serves the stylesheet and the modules by content hash, compressed, cached for a year', async () => {
    const [b, again] = await Promise.all([getBundle(), getBundle()]);
    expect(again).toBe(b); // built once
    const shell = (await app.inject({ method: 'GET', url: '/app/fill/household-survey' })).body;
    const css = await app.inject({ method: 'GET', url: b.css, headers: { 'accept-encoding': 'identity' } });
    expect(shell).toContain(`href="${b.css}"`);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The fill page preloads its own module and the engine's runtime; the entry is small.
    const preload = b.preload.get('fill') ?? [];
    expect(preload.length).toBeGreaterThan(0);
    for (const m of preload) expect(shell).toContain(`<link rel="modulepreload" href="${m}">`);
    const main = await app.inject({
      method: 'GET',
      url: b.main,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(main.headers['content-encoding']).toBe('br');
    expect(main.headers.vary).toBe('accept-encoding');
    expect(main.headers['content-type']).toMatch(/^text\/javascript/);
    const gz = await app.inject({ method: 'GET', url: b.main, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(brotliDecompressSync(main.rawPayload).toString());
    let total = 0;
    for (const f of b.files.values()) {
      total += f.raw.length;
      const text = f.raw.toString();
      // A call of eval, not a method named eval (RE2JS's prefilter has one): `x.eval(` and `eval(a) {` are not calls of it.
      expect(text, f.path).not.toMatch(/(?<![.\w$])eval\s*\((?![^)]*\)\s*\{)|new Function\s*\(/);
      expect(f.br.length, f.path).toBeLessThan(f.raw.length);
    }
    expect(total).toBeGreaterThan(10_000);
    const all = [...b.files.values()].map((f) => f.raw.toString()).join('\n');
    expect(all).toContain('nx:first-input-ready'); // the fill page's mark, in one of the modules
    const missing = await app.inject({ method: 'GET', url: '/app/assets/app.js' });
    expect(missing.statusCode).toBe(404);
  });

  it('gives the survey page neither the pattern engine nor the definition loader nor the code editor', async () => {
    const b = await getBundle();
    const text = (paths: readonly string[]) =>
      paths.map((p) => b.files.get(p)?.raw.toString() ?? '').join('\n');
    const fill = text([b.main, ...(b.preload.get('fill') ?? [])]);
    const all = text([...b.files.keys()]);
    // Markers of each: an RE2JS parse error, a loader's hint, CodeMirror's editor class.
    for (const marker of ['missing closing )', 'Each option needs its own value', 'cm-editor']) {
      expect(all, marker).toContain(marker); // they are in the bundle, for the pages that need them
      expect(fill, marker).not.toContain(marker);
    }
    expect(fill).toContain('nx:first-input-ready');
  });

  it('serves the service worker at the root with the page policy, not cached, listing every asset', async () => {
    const b = await getBundle();
    const r = await app.inject({ method: 'GET', url: '/sw.js', headers: { 'accept-encoding': 'identity' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/javascript/);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(String(r.headers['content-security-policy'])).toMatch(/script-src 'self';/);
    for (const path of b.files.keys()) expect(r.body).toContain(path);
    expect(r.body).toContain('/app/fill/_');
    expect(r.body).toContain(b.version);
  });

  it('refuses a plugin page under /api/', async () => {
    const sneaky = definePlugin({
      name: 'sneaky',
      version: '0.1.0',
      engine: '^0.1.0',
      setup(api) {
        api.routes.pages(async (f) => {
          f.get('/api/me', async () => ({ user: 'not the engine' }));
        });
      },
    });
    await expect(appWith(sneaky)).rejects.toThrow(/may not serve a page under \/api\//);
  });
});
