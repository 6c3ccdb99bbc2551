import { session } from './api.ts';
import { h } from './dom.ts';

/** Downloads a file with the session's token (a plain link could not carry it). */
export async function download(url: string, name: string): Promise<void> {
  const s = session();
  const res = await fetch(url, {
    headers: { 'x-nuanxin-client': 'web', ...(s ? { authorization: `Bearer ${s.token}` } : {}) },
  });
  if (!res.ok) throw new Error(`${res.status}`);
  const href = URL.createObjectURL(await res.blob());
  const a = h('a', { href, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
