import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { text } from '../../engine/entry/plugin.ts';
import { reportError } from './errors.ts';

/** The templates that ship with the plugin. */
export const BUILTIN_TEMPLATES_DIR = fileURLToPath(new URL('./templates/', import.meta.url));

/** Triple-stash and `{{& }}` print without escaping: refused, so every output is escaped. */
const UNESCAPED = /\{\{\{|\{\{~?\s*&/;

export type RenderTemplate = (context: Readonly<Record<string, unknown>>) => string;

/**
 * Handlebars templates by name, overridable per org unit without code: for a unit with path
 * `/510000/511900/511923/`, `templates/511923/<name>.hbs` wins over `templates/511900/…`, then
 * `templates/510000/…`, then `templates/<name>.hbs`. Several roots may be given (a province's
 * own folder first, the built-in one last).
 */
export class TemplateStore {
  private readonly hbs = Handlebars.create();
  private readonly cache = new Map<string, RenderTemplate>();

  constructor(private readonly roots: readonly string[] = [BUILTIN_TEMPLATES_DIR]) {
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('fmt', (v: unknown, format: unknown) =>
      formatCell(v, typeof format === 'string' ? format : 'text'),
    );
    this.hbs.registerHelper('times', (n: unknown) =>
      Array.from({ length: typeof n === 'number' ? n : 0 }, (_, i) => i),
    );
  }

  /** The file used for `name` at a unit (nearest ancestor's override first). */
  resolve(name: string, orgPath: string): string {
    const chain = orgPath.split('/').filter(Boolean).reverse();
    for (const root of this.roots) {
      for (const code of chain) {
        const f = join(root, code, `${name}.hbs`);
        if (existsSync(f)) return f;
      }
    }
    for (const root of this.roots) {
      const f = join(root, `${name}.hbs`);
      if (existsSync(f)) return f;
    }
    throw reportError('NX_ERR_REPORT_NOT_FOUND', text(`找不到模板“${name}”`, `Template "${name}" not found`));
  }

  /** Compiles (once per file) and returns the template for `name` at a unit. */
  template(name: string, orgPath: string): RenderTemplate {
    const file = this.resolve(name, orgPath);
    const hit = this.cache.get(file);
    if (hit) return hit;
    const source = readFileSync(file, 'utf8');
    if (UNESCAPED.test(source)) {
      throw reportError(
        'NX_ERR_REPORT_TEMPLATE_UNSAFE',
        text(
          `模板 ${file} 使用了不转义的输出，请改用 {{ }}`,
          `Template ${file} prints unescaped output; use {{ }}`,
        ),
      );
    }
    const compiled = this.hbs.compile(source, { strict: false, noEscape: false });
    const render: RenderTemplate = (ctx) => compiled(ctx);
    this.cache.set(file, render);
    return render;
  }

  render(name: string, orgPath: string, context: Readonly<Record<string, unknown>>): string {
    return this.template(name, orgPath)(context);
  }
}

/** A cell as printed: money with two decimals and thousands separators, integers grouped. */
export function formatCell(v: unknown, format: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (format === 'money' || format === 'number') {
      return v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    if (format === 'integer') return v.toLocaleString('zh-CN', { maximumFractionDigits: 0 });
    return String(v);
  }
  return String(v);
}
