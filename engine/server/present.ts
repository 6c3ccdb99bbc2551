import type { Kysely } from 'kysely';
import type { AuditEntry } from '../audit/audit.ts';
import type { Principal } from '../auth/principal.ts';
import { canSeePii } from '../auth/principal.ts';
import type { FormDefinition } from '../definition/form-schema.ts';
import type { EffectiveForms } from '../forms/effective-forms.ts';
import { maskData } from '../forms/pii.ts';
import { getOrgUnit } from '../org/org-units.ts';
import type { Database } from '../store/schema.ts';
import type { Submission } from '../submissions/submission.ts';

/**
 * Everything that leaves the API with submission data passes here: without `pii`, ID numbers
 * and phones (found from the effective form of the submission, table columns included) are masked.
 */
export class Presenter {
  private readonly paths = new Map<string, string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly forms: EffectiveForms,
  ) {}

  private async definitionOf(s: Pick<Submission, 'formId' | 'formVersion' | 'orgUnit'>, orgPath?: string) {
    const path = orgPath ?? (await this.orgPathOf(s.orgUnit));
    return (await this.forms.get(s.formId, path, s.formVersion))?.definition;
  }

  private async orgPathOf(code: string): Promise<string> {
    const cached = this.paths.get(code);
    if (cached) return cached;
    const unit = await getOrgUnit(this.db, code);
    const path = unit?.path ?? `/${code}/`;
    this.paths.set(code, path);
    return path;
  }

  async submission(who: Principal, s: Submission): Promise<Submission> {
    if (canSeePii(who)) return s;
    const def = await this.definitionOf(s);
    return { ...s, data: def ? maskData(def, s.data) : maskAll() };
  }

  async submissions(who: Principal, list: readonly Submission[]): Promise<Submission[]> {
    return Promise.all(list.map((s) => this.submission(who, s)));
  }

  data(who: Principal, def: FormDefinition, data: Record<string, unknown>): Record<string, unknown> {
    return canSeePii(who) ? data : maskData(def, data);
  }

  /** Audit diffs carry submission data too: masked the same way. */
  async audit(who: Principal, s: Submission, entries: readonly AuditEntry[]): Promise<AuditEntry[]> {
    if (canSeePii(who)) return [...entries];
    const def = await this.definitionOf(s);
    const maskSide = (side: Record<string, unknown> | null) => {
      if (!side || typeof side.data !== 'object' || side.data === null) return side;
      return { ...side, data: def ? maskData(def, side.data as Record<string, unknown>) : maskAll() };
    };
    return entries.map((e) => ({
      ...e,
      diff: { before: maskSide(e.diff.before), after: maskSide(e.diff.after) },
    }));
  }
}

/** When the definition cannot be found, hide all data rather than risk showing an ID number. */
const maskAll = (): Record<string, unknown> => ({});
