import type { Kysely } from 'kysely';
import { attachmentHooks } from '../attachments/attachment-hooks.ts';
import { AttachmentService } from '../attachments/attachment-service.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type { LoadFormOptions } from '../definition/load-form.ts';
import type { CompileOptions } from '../forms/effective-forms.ts';
import { EffectiveForms } from '../forms/effective-forms.ts';
import { type BrowserPlugins, NO_BROWSER_PLUGINS } from '../runtime/extension.ts';
import { type Clock, systemClock } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';
import { SubmissionService } from '../submissions/service.ts';
import type { SubmissionHooks } from '../submissions/submission.ts';
import { Presenter } from './present.ts';
import { DEFAULT_LIST_RATE_LIMIT, type RateLimit } from './rate-limits.ts';

/** What routes (and plugins' routes) use: one set per app, reachable as `app.nuanxin`. */
export interface Services {
  readonly db: Kysely<Database>;
  /** The app's one clock (tests and the demo move it): plugins' routes stamp their writes with it. */
  readonly clock: Clock;
  readonly forms: EffectiveForms;
  readonly submissions: SubmissionService;
  /** Masks personal identifiers in responses for callers without `pii`. */
  readonly present: Presenter;
  /** Options for `loadForm` when checking definitions and overlays (plugins' operations, field types). */
  readonly loadOptions: LoadFormOptions;
  readonly sessionTtlMs: number;
  /** Per-user budget of each list or filter route (see `perUserRateLimit`). */
  readonly listRateLimit: RateLimit;
  /** Uploads and downloads of photos, documents and signatures. */
  readonly attachments: AttachmentService;
  /** The plugins' browser modules and what has none (the web plugin bundles them into the pages). */
  readonly browser: BrowserPlugins;
}

declare module 'fastify' {
  interface FastifyInstance {
    nuanxin: Services;
  }
}

export function createServices(args: {
  db: Kysely<Database>;
  hooks?: readonly SubmissionHooks[];
  compile?: CompileOptions;
  load?: LoadFormOptions;
  browser?: BrowserPlugins | undefined;
  sessionTtlMs: number;
  listRateLimit?: RateLimit | undefined;
  clock?: Clock;
  attachments: { store: AttachmentStore; maxBytes?: number | undefined };
}): Services {
  const forms = new EffectiveForms(args.db, { compile: args.compile, load: args.load });
  // Attachment references are checked and recorded before every other participant sees the save.
  const hooks = [attachmentHooks(), ...(args.hooks ?? [])];
  return {
    db: args.db,
    clock: args.clock ?? systemClock,
    forms,
    submissions: new SubmissionService(args.db, forms, hooks, args.clock),
    present: new Presenter(args.db, forms),
    loadOptions: args.load ?? {},
    browser: args.browser ?? NO_BROWSER_PLUGINS,
    sessionTtlMs: args.sessionTtlMs,
    listRateLimit: args.listRateLimit ?? DEFAULT_LIST_RATE_LIMIT,
    attachments: new AttachmentService(
      args.db,
      args.attachments.store,
      args.attachments.maxBytes,
      args.clock,
    ),
  };
}
