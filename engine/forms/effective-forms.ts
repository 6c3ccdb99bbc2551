import type { Kysely } from 'kysely';
import type { FormDefinition } from '../definition/form-schema.ts';
import type { LoadFormOptions } from '../definition/load-form.ts';
import { httpError } from '../errors/domain-errors.ts';
import { ancestorCodes } from '../org/org-units.ts';
import { compileForm } from '../runtime/compile-form.ts';
import type { CompiledForm } from '../runtime/types.ts';
import type { Database } from '../store/schema.ts';
import { applyOverlay } from './apply-overlay.ts';
import { getForm } from './form-store.ts';
import { publishedOverlays } from './overlay-store.ts';

export interface EffectiveForm {
  definition: FormDefinition;
  compiled: CompiledForm;
  /** The base version this was built from (what a submission records as `formVersion`). */
  version: number;
  /** Status of that base version (drafts are for admins only). */
  status: 'draft' | 'published' | 'retired';
  /** The overlays applied, top down. */
  overlays: { id: string; orgCode: string; version: number }[];
}

export type CompileOptions = NonNullable<Parameters<typeof compileForm>[1]>;

const MAX_CACHED = 2000;
/** Several server processes share one database: another process's publish is seen within this time. */
const DEFAULT_TTL_MS = 30_000;

/**
 * Effective forms per org unit: the base version plus the published overlays of the unit's
 * ancestors, top down (province, then city …), compiled once and cached until something is
 * published here, and for at most `ttlMs` after a publish by another process. The cache lives
 * in this object, so each app (and each test) has its own.
 */
export class EffectiveForms {
  private readonly cache = new Map<string, { at: number; value: Promise<EffectiveForm | undefined> }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { compile?: CompileOptions; load?: LoadFormOptions; ttlMs?: number } = {},
  ) {}

  /** Forget every compiled form; call after a form or an overlay is published. */
  invalidate(): void {
    this.cache.clear();
  }

  /** The effective form of `formId` (its published version, or `version`) for the unit at `orgPath`. */
  get(formId: string, orgPath: string, version?: number): Promise<EffectiveForm | undefined> {
    const key = `${formId}@${version ?? 'published'}${orgPath}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < (this.options.ttlMs ?? DEFAULT_TTL_MS)) return hit.value;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    const value = this.build(formId, orgPath, version);
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  /** Base plus overlays, uncompiled: for checking a new overlay on top of those above it. */
  async compose(formId: string, orgPath: string, version?: number) {
    const base = await getForm(this.db, formId, version);
    if (!base) return undefined;
    const overlays = await publishedOverlays(this.db, formId, ancestorCodes(orgPath));
    let definition = base.definition;
    for (const o of overlays) {
      const r = applyOverlay(definition, o.overlay, `overlay:${o.orgCode}@${o.version}`);
      if (!r.ok) {
        throw httpError(
          'NX_ERR_FORM_OVERLAY_INVALID',
          r.problems.map((p) => ({ path: p.pointer, code: p.code, message: p.message, hint: p.hint })),
        );
      }
      definition = r.value;
    }
    return { base, definition, overlays };
  }

  private async build(formId: string, orgPath: string, version?: number): Promise<EffectiveForm | undefined> {
    const composed = await this.compose(formId, orgPath, version);
    if (!composed) return undefined;
    return {
      definition: composed.definition,
      compiled: compileForm(composed.definition, this.options.compile),
      version: composed.base.version,
      status: composed.base.status,
      overlays: composed.overlays.map((o) => ({ id: o.id, orgCode: o.orgCode, version: o.version })),
    };
  }
}
