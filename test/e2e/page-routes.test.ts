import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createDatabase, definePlugin, ENGINE_VERSION, loadPlugins } from '../../engine/index.ts';
import { pluginAppOptions } from '../../engine/server/plugin-bridge.ts';
import web from '../../plugins/web/index.ts';
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
      expect(r.body).toContain('<script src="/app/assets/app.js" defer></script>');
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

  it('serves the stylesheet and the bundle, built once', async () => {
    const css = await app.inject({ method: 'GET', url: '/app/assets/app.css' });
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const [a, b] = await Promise.all([
      app.inject({ method: 'GET', url: '/app/assets/app.js' }),
      app.inject({ method: 'GET', url: '/app/assets/app.js' }),
    ]);
    expect(a.headers.etag).toBe(b.headers.etag);
    expect(a.body.length).toBeGreaterThan(10_000);
    // A call of eval, not a method named eval (RE2JS's prefilter has one): `x.eval(` and `eval(a) {` are not calls of it.
    expect(a.body).not.toMatch(/(?<![.\w$])eval\s*\((?![^)]*\)\s*\{)|new Function\s*\(/);
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
