import Handlebars from 'handlebars';

/**
 * SMS notices are plain text rendered with Handlebars in an isolated instance: no HTML escaping
 * (an SMS is not a page), no prototype access (Handlebars' default), and only the helpers here.
 */

export const DEFAULT_TEMPLATE =
  '{{signature}}{{headName}}您好：您家的救助申请已审批通过。' +
  '{{#if entitlement}}每月低保金 {{money entitlement}} 元，将通过社会保障卡发放。{{/if}}' +
  '如有疑问请致电 {{hotline}}。';

export interface SmsRenderer {
  /** The message text, whitespace tidied, cut to `maxLength` characters with … when longer. */
  render(context: Readonly<Record<string, unknown>>): { text: string; truncated: boolean };
}

export function createSmsRenderer(template: string, maxLength: number): SmsRenderer {
  const hb = Handlebars.create();
  hb.registerHelper('money', (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : '',
  );
  // ID numbers in a text message are masked like in public notices: 5101**********1234.
  hb.registerHelper('maskId', (v: unknown) =>
    typeof v === 'string' && v.length > 8 ? `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}` : '',
  );
  const compiled = hb.compile(template, { noEscape: true, strict: false, knownHelpersOnly: false });
  return {
    render(context) {
      const text = compiled(context).replace(/\s+/g, ' ').trim();
      const chars = [...text];
      if (chars.length <= maxLength) return { text, truncated: false };
      return { text: `${chars.slice(0, maxLength - 1).join('')}…`, truncated: true };
    },
  };
}

/** Mainland mobile numbers only: landlines cannot receive a text. */
export const isMobile = (v: unknown): v is string => typeof v === 'string' && /^1[3-9]\d{9}$/.test(v);
