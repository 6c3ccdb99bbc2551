import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { removeStaleAttachments } from '../attachments/attachment-service.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import { localFolderStore } from '../attachments/local-folder-store.ts';
import type { HashLimits } from '../auth/hash-slots.ts';
import { DEFAULT_LOGIN_THROTTLE, type LoginThrottlePolicy } from '../auth/login-throttle.ts';
import { hashSlots } from '../auth/password.ts';
import {
  DEFAULT_API_TOKEN_MAX_DAYS,
  DEFAULT_DEVICE_SESSION_DAYS,
  DEFAULT_SESSION_TTL_MS,
} from '../auth/tokens.ts';
import type { LoadFormOptions } from '../definition/load-form.ts';
import type { CompileOptions } from '../forms/effective-forms.ts';
import type { BrowserPlugins } from '../runtime/extension.ts';
import { type Clock, systemClock } from '../store/clock.ts';
import type { HousekeepingOptions } from '../store/housekeeping.ts';
import { migrateToLatest } from '../store/migrate.ts';
import type { Database } from '../store/schema.ts';
import type { SubmissionHooks } from '../submissions/submission.ts';
import { workflowSubmissionHooks } from '../workflow-store/hooks.ts';
import {
  attachWorkflows,
  createWorkflowService,
  type WorkflowServerOptions,
} from '../workflow-store/server.ts';
import { installErrorHandlers } from './error-handler.ts';
import { attachHousekeeping } from './housekeeping.ts';
import { installJsonBodyParser } from './json-body.ts';
import { installJsonCompression } from './json-compression.ts';
import { authenticateHook } from './principal-hook.ts';
import { accountRoutes } from './routes/account.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { authRoutes } from './routes/auth.ts';
import { caseRoutes } from './routes/cases.ts';
import { formRoutes } from './routes/forms.ts';
import { historyRoutes } from './routes/history.ts';
import { meRoutes } from './routes/me.ts';
import { orgUnitRoutes } from './routes/org-units.ts';
import { submissionRoutes } from './routes/submissions.ts';
import { taskRoutes } from './routes/tasks.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { userRoutes } from './routes/users.ts';
import { workflowActionRoutes } from './routes/workflow-actions.ts';
import { ErrorBody, SubmissionSchema } from './schemas.ts';
import { createServices } from './services.ts';

/** A Fastify plugin added to the app, e.g. a Nuanxin plugin's routes under `/api/plugins/<name>/`. */
export type AppPlugin =
  | FastifyPluginAsync
  | { plugin: FastifyPluginAsync; options?: Record<string, unknown>; prefix?: string };

export interface BuildAppOptions {
  db: Kysely<Database>;
  /** Fastify logger options; secrets are redacted whatever is given. Off by default. */
  logger?: boolean | Exclude<FastifyServerOptions['logger'], undefined>;
  /** Extra Fastify plugins, registered after the core routes; they can use `app.nuanxin`. */
  plugins?: readonly AppPlugin[];
  /** Hooks around every submission write. */
  submissionHooks?: readonly SubmissionHooks[];
  /** Operations and field types for compiling forms (from plugins). */
  compile?: CompileOptions;
  /** Options for the form loader (from plugins). */
  load?: LoadFormOptions;
  /** The plugins' browser modules, for a plugin that bundles pages (`app.nuanxin.browser`). */
  browser?: BrowserPlugins;
  /** Run migrations before serving (default true). */
  migrate?: boolean;
  /** Session lifetime; 12 hours by default. */
  sessionTtlMs?: number;
  /** Login throttling per username and per address, kept in the database (`DEFAULT_LOGIN_THROTTLE`). */
  loginThrottle?: LoginThrottlePolicy;
  /** Password hashes computed at once and allowed to wait, per process (`DEFAULT_HASH_LIMITS`). */
  passwordHashing?: Partial<HashLimits>;
  /** Requests per user to each list or filter route in the window (default 300 a minute). */
  listRateLimit?: { max: number; timeWindowMs: number };
  /** Longest lifetime of an API token in days; 90 by default. */
  apiTokenMaxDays?: number;
  /** Lifetime of a device session (a login kept on a device) in days; 30 by default. */
  deviceSessionDays?: number;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Workflows (`dir: 'workflows'` with the plugins' effects); none when omitted. */
  workflows?: WorkflowServerOptions;
  /** Deleting old idempotency keys and dead tokens (hourly, 7 days' retention by default). */
  housekeeping?: HousekeepingOptions;
  /** The one clock of saves, workflows and timers (tests move it); `workflows.clock`, else the system clock. */
  clock?: Clock;
  /** Where attachments are stored and how large one may be (see docs/attachments.md). */
  attachments?: AttachmentOptions;
}

export interface AttachmentOptions {
  /** The store; a local folder (`dir`) when not given. */
  readonly store?: AttachmentStore;
  /** The local folder; `NUANXIN_ATTACHMENTS_DIR`, else `./data/attachments`. */
  readonly dir?: string;
  /** Largest upload in bytes (default 10 MiB); larger ones are refused while streaming. */
  readonly maxBytes?: number;
  /** How long an upload no submission references is kept (default 7 days). */
  readonly retentionMs?: number;
}

/** How long an unreferenced upload is kept before the housekeeping removes it. */
export const ATTACHMENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** The attachment store the options name: the given one, else the local folder. */
export function attachmentStoreOf(opts: AttachmentOptions | undefined): AttachmentStore {
  return (
    opts?.store ?? localFolderStore(opts?.dir ?? process.env.NUANXIN_ATTACHMENTS_DIR ?? './data/attachments')
  );
}

/** Paths the logger must never print: passwords and tokens, wherever they appear. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  'token',
  '*.password',
  '*.token',
  'body.password',
];

/**
 * The HTTP API as a Fastify instance (not listening: call `listen`, or `inject` in tests).
 *
 * @example
 * const app = await buildApp({ db: createDatabase() });
 * await app.listen({ port: 3000 });
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  if (options.migrate ?? true) await migrateToLatest(options.db);
  const logger =
    options.logger === undefined || options.logger === false
      ? false
      : {
          ...(options.logger === true ? {} : options.logger),
          redact: { paths: REDACT, censor: '[redacted]' },
        };
  const app = Fastify({
    logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: process.env.NUANXIN_TRUST_PROXY === '1',
  }).withTypeProvider<TypeBoxTypeProvider>();
  installJsonBodyParser(app);
  installJsonCompression(app);

  const clock = options.clock ?? options.workflows?.clock ?? systemClock;
  const workflows = await createWorkflowService(
    options.db,
    options.workflows ? { ...options.workflows, clock } : undefined,
  );
  const attachmentStore = attachmentStoreOf(options.attachments);
  const services = createServices({
    db: options.db,
    hooks: [...(options.submissionHooks ?? []), workflowSubmissionHooks(workflows)],
    compile: options.compile,
    load: options.load,
    browser: options.browser,
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    listRateLimit: options.listRateLimit,
    clock,
    attachments: { store: attachmentStore, maxBytes: options.attachments?.maxBytes },
  });
  workflows.usePipeline(services.submissions);
  app.decorate('nuanxin', services);
  attachWorkflows(app, workflows, options.workflows);
  const retention = options.attachments?.retentionMs ?? ATTACHMENT_RETENTION_MS;
  attachHousekeeping(app, options.db, options.housekeeping, (now) =>
    removeStaleAttachments(options.db, attachmentStore, new Date(now.getTime() - retention).toISOString()),
  );
  app.decorateRequest('principal', null);
  app.addSchema(ErrorBody);
  app.addSchema(SubmissionSchema);
  installErrorHandlers(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // A county office often serves plain http on its LAN: upgrading would break every page.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  await app.register(swagger, {
    openapi: {
      info: {
        title: '暖心 Nuanxin API',
        description: '社会救助表单与填报 / forms and submissions for social-assistance casework',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onRequest', authenticateHook(services));

  if (options.passwordHashing) hashSlots.configure(options.passwordHashing);
  const loginThrottle = options.loginThrottle ?? DEFAULT_LOGIN_THROTTLE;
  await app.register(authRoutes, {
    loginThrottle,
    deviceSessionDays: options.deviceSessionDays ?? DEFAULT_DEVICE_SESSION_DAYS,
  });
  await app.register(accountRoutes, { loginThrottle });
  await app.register(meRoutes);
  await app.register(orgUnitRoutes);
  await app.register(userRoutes);
  await app.register(tokenRoutes, { maxDays: options.apiTokenMaxDays ?? DEFAULT_API_TOKEN_MAX_DAYS });
  await app.register(formRoutes);
  await app.register(submissionRoutes);
  await app.register(taskRoutes);
  await app.register(caseRoutes);
  await app.register(workflowActionRoutes);
  await app.register(historyRoutes);
  await app.register(attachmentRoutes);

  for (const p of options.plugins ?? []) {
    if (typeof p === 'function') await app.register(p);
    else await app.register(p.plugin, { ...(p.options ?? {}), ...(p.prefix ? { prefix: p.prefix } : {}) });
  }
  return app;
}
