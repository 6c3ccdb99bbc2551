import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** The page script: the engine's browser runtime and the web client, one IIFE (no eval, no Node built-ins). */
export interface Bundle {
  readonly code: string;
  readonly etag: string;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ENTRY = join(import.meta.dirname, '..', 'client', 'main.ts');
const PUBLIC_ENTRY = join(ROOT, 'engine', 'index.ts');
const BROWSER_ENTRY = join(ROOT, 'engine', 'runtime', 'browser.ts');

/**
 * The client imports the engine's public entry like any plugin; in the browser that entry is
 * narrowed to its browser part (no database, no server), so a missing export fails the build.
 */
const browserEngine: Plugin = {
  name: 'nuanxin-browser-engine',
  setup(b) {
    b.onResolve({ filter: /engine\/index\.ts$/ }, (args) =>
      resolve(args.resolveDir, args.path) === PUBLIC_ENTRY ? { path: BROWSER_ENTRY } : undefined,
    );
  },
};

let cached: Promise<Bundle> | undefined;

/**
 * Built once per process, in memory, on first use (or at start-up via `warm`), so the browser
 * runs exactly the runtime the server validates with: same source, same commit.
 */
export function getBundle(): Promise<Bundle> {
  cached ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    minify: process.env.NODE_ENV === 'production',
    sourcemap: false,
    legalComments: 'none',
    plugins: [browserEngine],
  }).then((out) => {
    const code = out.outputFiles[0]?.text ?? '';
    return { code, etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 16)}"` };
  });
  cached.catch(() => {
    cached = undefined; // a failed build is retried on the next request
  });
  return cached;
}
