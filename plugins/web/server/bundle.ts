import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { BrowserPlugins } from '../../../engine/entry/runtime.ts';
import { PAGES } from './page-list.ts';

/**
 * The page assets: the engine's browser runtime and the web client as ES modules split per page
 * (esbuild `splitting`), minified, each file named by the hash of its content, with its brotli
 * and gzip forms made once at start-up; and the service worker, which lists them.
 */
export interface AssetFile {
  /** URL path, e.g. `/app/assets/main-4TQ2ZK3B.js`. */
  readonly path: string;
  readonly type: string;
  readonly raw: Buffer;
  readonly br: Buffer;
  readonly gzip: Buffer;
}

export interface Bundle {
  /** Every asset by URL path (immutable: a new content gets a new name). */
  readonly files: ReadonlyMap<string, AssetFile>;
  /** The entry module (`<script type="module">`). */
  readonly main: string;
  readonly css: string;
  /** Per page name: the modules it needs beyond the entry, for `<link rel="modulepreload">`. */
  readonly preload: ReadonlyMap<string, readonly string[]>;
  /** `/sw.js`: fixed name, not cached by the browser. */
  readonly serviceWorker: AssetFile;
  /** Changes with any asset: names the service worker's caches. */
  readonly version: string;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLIENT = join(import.meta.dirname, '..', 'client');
const ENTRY = join(CLIENT, 'main.ts');
const SW_ENTRY = join(CLIENT, 'sw', 'worker.ts');
const CSS = join(import.meta.dirname, '..', 'assets', 'app.css');
const PUBLIC_ENTRY = join(ROOT, 'engine', 'index.ts');
const BROWSER_ENTRY = join(ROOT, 'engine', 'runtime', 'browser.ts');
export const ASSET_PREFIX = '/app/assets/';

const PATTERN_ENGINE = join(ROOT, 'engine', 'runtime', 'pattern-engine.ts');

/** Module → what the page gets in its place (see each replacement's comment). */
const BROWSER_SIDE = new Map([
  [PUBLIC_ENTRY, BROWSER_ENTRY],
  [join(ROOT, 'engine', 'entry', 'runtime.ts'), join(ROOT, 'engine', 'runtime', 'page-runtime.ts')],
  [join(ROOT, 'engine', 'entry', 'definition.ts'), join(ROOT, 'engine', 'definition', 'browser.ts')],
  [PATTERN_ENGINE, join(ROOT, 'engine', 'runtime', 'pattern-engine.browser.ts')],
]);
const PACKAGE_ENTRIES: Record<string, string> = {
  nuanxin: PUBLIC_ENTRY,
  'nuanxin/runtime': join(ROOT, 'engine', 'entry', 'runtime.ts'),
  'nuanxin/definition': join(ROOT, 'engine', 'entry', 'definition.ts'),
};

/**
 * The client imports the engine's entries like any plugin; in the browser each is narrowed to its
 * browser part (no database, no server), so a missing export fails the build. The runtime entry
 * leaves out the definition loader (only the editor uses it, through the definition entry), and
 * the pattern engine becomes its page side, loaded only for a form with patterns.
 */
export const browserEngine: Plugin = {
  name: 'nuanxin-browser-engine',
  setup(b) {
    b.onResolve({ filter: /(^nuanxin(\/runtime|\/definition)?$)|\.ts$/ }, (args) => {
      const path = PACKAGE_ENTRIES[args.path] ?? resolve(args.resolveDir, args.path);
      const side = BROWSER_SIDE.get(path);
      return side ? { path: side } : undefined;
    });
  },
};

/** The module the client imports as `nuanxin:browser-plugins` (see `client/runtime-registries.ts`). */
export const BROWSER_PLUGINS_MODULE = 'nuanxin:browser-plugins';

/**
 * The configured plugins' browser modules as one generated module: each plugin's extension by
 * name, and the field types and operations that have none (the page says it cannot check them).
 */
export function browserPluginsSource(browser: BrowserPlugins): string {
  const imports = browser.modules.map((m, i) => `import p${i} from ${JSON.stringify(m.path)};`);
  const list = browser.modules.map((m, i) => `{ plugin: ${JSON.stringify(m.plugin)}, extend: p${i} }`);
  return [
    ...imports,
    `export const extensions = [${list.join(', ')}];`,
    `export const serverOnly = ${JSON.stringify(browser.serverOnly)};`,
  ].join('\n');
}

/**
 * The module the client imports as `nuanxin:menu` (see `client/menu.d.ts`): the header's menu as the
 * page list gives it, in its order, and nothing else of the list, so the pages carry only the menu.
 */
export function menuSource(): string {
  const menu = PAGES.flatMap((p) =>
    p.menu ? [{ href: `/app${p.path}`, label: p.menu.label ?? p.title, roles: p.menu.roles ?? null }] : [],
  );
  return `export const menu = ${JSON.stringify(menu)};`;
}

/**
 * Resolves `nuanxin:browser-plugins` and `nuanxin:menu` to their generated modules (also used by the
 * bench's baseline build).
 */
export const browserPlugins = (browser: BrowserPlugins): Plugin => ({
  name: 'nuanxin-browser-plugins',
  setup(b) {
    b.onResolve({ filter: /^nuanxin:(browser-plugins|menu)$/ }, (args) => ({
      path: args.path.slice('nuanxin:'.length),
      namespace: 'nuanxin',
    }));
    b.onLoad({ filter: /.*/, namespace: 'nuanxin' }, (args) => ({
      contents: args.path === 'menu' ? menuSource() : browserPluginsSource(browser),
      loader: 'js',
      resolveDir: ROOT,
    }));
  },
});

const br = promisify(brotliCompress);
const gz = promisify(gzip);

async function asset(path: string, type: string, raw: Buffer): Promise<AssetFile> {
  const [b, g] = await Promise.all([
    br(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
    gz(raw, { level: 9 }),
  ]);
  return { path, type, raw, br: b, gzip: g };
}

const hash = (b: Buffer | string) => createHash('sha256').update(b).digest('base64url').slice(0, 12);

/** Page name → the page module's file, by the naming rule `client/pages/<name>.ts`. */
const pageOf = (entryPoint: string | undefined): string | undefined => {
  const m = entryPoint?.match(/client\/pages\/([a-z-]+)\.ts$/);
  return m?.[1];
};

/** The output files a module needs through static imports, itself included (preload order). */
function closure(meta: Metafile, out: string): string[] {
  const seen = new Set<string>();
  const walk = (o: string) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of meta.outputs[o]?.imports ?? []) if (i.kind === 'import-statement') walk(i.path);
  };
  walk(out);
  return [...seen];
}

async function buildAll(browser: BrowserPlugins): Promise<Bundle> {
  const minify = process.env.NUANXIN_WEB_MINIFY !== '0';
  const outdir = join(ROOT, '.nuanxin', 'web');
  const out = await build({
    entryPoints: [ENTRY],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outdir,
    entryNames: '[name]-[hash]',
    chunkNames: 'c-[hash]',
    minify,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    plugins: [browserEngine, browserPlugins(browser)],
  });
  const urlOf = (abs: string) => `${ASSET_PREFIX}${basename(abs)}`;
  const rel = (abs: string) => relative(process.cwd(), abs);
  const files = new Map<string, AssetFile>();
  for (const f of out.outputFiles) {
    const a = await asset(urlOf(f.path), 'text/javascript; charset=utf-8', Buffer.from(f.contents));
    files.set(a.path, a);
  }
  const cssRaw = readFileSync(CSS);
  const css = await asset(`${ASSET_PREFIX}app-${hash(cssRaw)}.css`, 'text/css; charset=utf-8', cssRaw);
  files.set(css.path, css);

  const meta = out.metafile;
  let main = '';
  const preload = new Map<string, string[]>();
  const mainOut = Object.entries(meta.outputs).find(
    ([, o]) => o.entryPoint && resolve(o.entryPoint) === ENTRY,
  );
  if (mainOut) main = urlOf(mainOut[0]);
  // The entry's own imports and each page's module with its imports, all fetched at once
  // instead of one round trip per level of imports.
  const mainDeps = mainOut ? closure(meta, mainOut[0]).slice(1) : [];
  for (const [o, info] of Object.entries(meta.outputs)) {
    const page = pageOf(info.entryPoint);
    if (!page) continue;
    const all = new Set([...mainDeps, ...closure(meta, o)]);
    preload.set(
      page,
      [...all].map((x) => urlOf(resolve(x))),
    );
  }
  if (!main) throw new Error(`no output for ${rel(ENTRY)}`);

  // The release: its assets and its page shells (the worker precaches them together).
  const version = hash(
    [...[...files.keys()].sort(), JSON.stringify(shellsForWorker()), JSON.stringify(PAGES)].join('\n'),
  );
  const sw = await build({
    entryPoints: [SW_ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify,
    legalComments: 'none',
    define: {
      NX_SW_VERSION: JSON.stringify(version),
      NX_SW_ASSETS: JSON.stringify([...files.keys()]),
      NX_SW_SHELLS: JSON.stringify(shellsForWorker()),
    },
  });
  const serviceWorker = await asset(
    '/sw.js',
    'text/javascript; charset=utf-8',
    Buffer.from(sw.outputFiles[0]?.contents ?? new Uint8Array()),
  );
  return { files, main, css: css.path, preload, serviceWorker, version };
}

/**
 * Each kind of page as the service worker caches it: one shell per page (the shell does not
 * depend on the route's parameters, the client reads them from the address), fetched at the
 * route with each parameter `_`, and the pattern of the addresses it answers. `fresh`: the shell
 * carries a nonce of its own response (`styleNonce`), so the worker asks the network first.
 */
export function shellsForWorker(): { pattern: string; url: string; fresh: boolean }[] {
  return PAGES.map((p) => {
    const path = p.path === '/' ? '/' : p.path;
    const url = `/app${path.replace(/:[A-Za-z]+/g, '_')}`;
    const pattern = `^/app${path.replace(/:[A-Za-z]+/g, '[^/]+')}$`;
    return { pattern, url, fresh: p.styleNonce === true };
  });
}

const cached = new Map<string, Promise<Bundle>>();
const NONE: BrowserPlugins = { modules: [], serverOnly: [] };

/**
 * Built once per process and set of plugins, in memory, on first use (or at start-up), so the
 * browser runs exactly the runtime the server validates with: same source, same commit, and the
 * configured plugins' field types and operations (`app.nuanxin.browser`).
 * `NUANXIN_WEB_MINIFY=0` keeps the code readable (for debugging in the browser).
 */
export function getBundle(browser: BrowserPlugins = NONE): Promise<Bundle> {
  const key = JSON.stringify(browser);
  let b = cached.get(key);
  if (!b) {
    b = buildAll(browser);
    cached.set(key, b);
    b.catch(() => cached.delete(key)); // a failed build is retried on the next request
  }
  return b;
}
