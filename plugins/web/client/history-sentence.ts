/**
 * One step of a case's history as a sentence a person reads — who did what, where the case
 * went, with which comment — in one language. Pure (no DOM, no clock): the time is put before it
 * by the page (`history.ts`), and `test/plugins/web/history-sentence.test.ts` reads it.
 */

type Words = { 'zh-CN': string; en?: string };

export interface HistoryStep {
  readonly action: string;
  readonly label?: Words;
  readonly kind?: string;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly fromLabel?: Words;
  readonly toLabel?: Words;
  readonly actor?: string | null;
  readonly actorName?: string | null;
  readonly comment?: string | null;
}

export function historySentence(s: HistoryStep, lang: 'zh-CN' | 'en'): string {
  const w = (x: Words | undefined, id: string | null | undefined) =>
    x ? (lang === 'en' && x.en ? x.en : x['zh-CN']) : (id ?? '');
  const what = w(s.label, s.action);
  const from = w(s.fromLabel, s.from);
  const to = w(s.toLabel, s.to);
  const timer = s.kind === 'timer' || !s.actor;
  const comment = s.comment?.trim();
  if (lang === 'en') {
    const who = timer
      ? 'The system (a time limit)'
      : s.actorName
        ? `${s.actorName} (${s.actor})`
        : String(s.actor);
    const move = from === to ? `; the case stays at “${to}”` : `, moving the case from “${from}” to “${to}”`;
    return `${who}: ${what}${move}${comment ? `. Comment: “${comment}”` : ''}.`;
  }
  const who = timer ? '系统按时限自动' : s.actorName ? `${s.actorName}（${s.actor}）` : String(s.actor);
  const move = from === to ? `，案件仍在“${to}”` : `，案件从“${from}”转到“${to}”`;
  return `${who}${timer ? '' : '办理'}“${what}”${move}${comment ? `，意见：“${comment}”` : ''}。`;
}
