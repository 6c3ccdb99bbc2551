import type { FormDefinition } from '../../../../engine/entry/definition.ts';
import { jsonErrorOffset, loadForm } from '../../../../engine/entry/runtime.ts';
import { ApiError, api } from '../api.ts';
import { fill, h } from '../dom.ts';
import { renderForm } from '../form-view.ts';
import { t, tr } from '../i18n.ts';
import { pointerOffset } from '../json-pointer-offset.ts';
import { lineDiff } from '../line-diff.ts';
import { runtimeRegistries } from '../runtime-registries.ts';
import { status } from '../status.ts';
import { chinaToday } from './fill.ts';

interface Located {
  pointer: string;
  message: unknown;
  hint?: unknown;
  /** Where in the text, when known already (a syntax error); else found from the pointer. */
  offset?: number;
}

/** Line and column (1-based) of a character offset. */
function lineCol(src: string, offset: number): string {
  const before = src.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * Administrators: the definition as JSON, checked by the engine's own loader as it is typed,
 * beside a live preview of the generated form; save a draft version, publish, compare versions,
 * publish an overlay for a unit.
 */
export async function editorPage(app: HTMLElement): Promise<void> {
  const formId = decodeURIComponent(location.pathname.split('/')[4] ?? '');
  const enc = encodeURIComponent(formId);
  const list = await api<{ items: { id: string; latestVersion: number; publishedVersion: number | null }[] }>(
    'GET',
    '/api/forms',
  );
  const meta = list.items.find((f) => f.id === formId);
  const latest = meta?.latestVersion ?? 1;
  const current = await api<{ version: number; definition: FormDefinition }>(
    'GET',
    `/api/forms/${enc}?version=${latest}`,
  );

  const text = h('textarea', {
    id: 'definition',
    class: 'code',
    spellcheck: 'false',
    rows: 30,
    'aria-describedby': 'problems',
  });
  text.value = JSON.stringify(current.definition, null, 2);
  const problems = h('ul', { id: 'problems', class: 'problems', 'aria-live': 'polite' });
  const preview = h('div', { id: 'preview', class: 'preview' });
  const save = h(
    'button',
    { type: 'button', id: 'save-version' },
    tr('保存为草稿版本', 'Save as a draft version'),
  );
  const publish = h(
    'button',
    { type: 'button', id: 'publish', class: 'primary' },
    tr('保存并发布', 'Save and publish'),
  );
  let valid: FormDefinition | undefined;

  /** Moves the cursor to a problem's place in the text and scrolls its line into view. */
  const jump = (p: Located) => {
    const at = p.offset ?? pointerOffset(text.value, p.pointer);
    text.focus();
    text.setSelectionRange(at, at);
    const line = text.value.slice(0, at).split('\n').length;
    const height = Number.parseFloat(getComputedStyle(text).lineHeight) || 18;
    text.scrollTop = Math.max(0, (line - 3) * height);
  };
  const show = (items: Located[]) => {
    fill(problems);
    for (const p of items) {
      const at = p.offset ?? pointerOffset(text.value, p.pointer);
      const link = h(
        'a',
        { href: '#definition', class: 'pointer', 'data-pointer': p.pointer, 'data-offset': at },
        h('code', {}, p.pointer || '/'),
        ` ${tr('第', 'line ')}${lineCol(text.value, at).split(':')[0]}${tr(' 行', '')}`,
      );
      link.addEventListener('click', (ev) => {
        ev.preventDefault();
        jump(p);
      });
      problems.append(
        h('li', {}, link, ' ', t(p.message), p.hint ? h('small', {}, ` — ${t(p.hint)}`) : null),
      );
    }
  };

  const check = () => {
    valid = undefined;
    let json: unknown;
    try {
      json = JSON.parse(text.value);
    } catch {
      const at = jsonErrorOffset(text.value);
      const offset = at < 0 ? text.value.length : at;
      show([
        {
          pointer: lineCol(text.value, offset),
          offset,
          message: { 'zh-CN': 'JSON 语法错误', en: 'JSON syntax error' },
        },
      ]);
      return;
    }
    const r = loadForm(json, runtimeRegistries());
    if (!r.ok) {
      show(r.problems);
      return;
    }
    show([]);
    valid = r.value;
    problems.append(h('li', { class: 'ok' }, tr('定义有效', 'The definition is valid')));
    try {
      fill(preview, renderForm(r.value, { ctx: { today: chinaToday() } }).element);
    } catch (e) {
      fill(preview, h('p', { class: 'error' }, String(e)));
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });

  const store = async (): Promise<boolean> => {
    check();
    if (!valid) {
      status(tr('定义有错误，未保存', 'The definition has problems; not saved'), 'error');
      return false;
    }
    try {
      const r = await api<{ version: number }>('POST', `/api/forms/${enc}/versions`, valid);
      status(tr(`已保存草稿版本 v${r.version}`, `Saved draft version v${r.version}`), 'ok');
      setVersions(r.version);
      return true;
    } catch (e) {
      if (e instanceof ApiError) {
        show((e.body.errors ?? []).map((x) => ({ pointer: x.path, message: x.message, hint: x.hint })));
        status(t(e.body.message ?? e.code), 'error');
        return false;
      }
      throw e;
    }
  };
  save.addEventListener('click', () => void store());
  publish.addEventListener('click', async () => {
    if (!(await store())) return;
    try {
      const r = await api<{ version: number }>('POST', `/api/forms/${enc}/publish`);
      status(tr(`已发布 v${r.version}`, `Published v${r.version}`), 'ok');
    } catch (e) {
      status(e instanceof ApiError ? t(e.body.message ?? e.code) : String(e), 'error');
    }
  });

  // Versions side by side; the lists grow when a version is saved here.
  const from = h('select', { id: 'diff-from' });
  const to = h('select', { id: 'diff-to' });
  const setVersions = (n: number) => {
    for (const [sel, v] of [
      [from, Math.max(1, n - 1)],
      [to, n],
    ] as const) {
      fill(sel);
      for (let i = 1; i <= n; i++) sel.append(h('option', { value: i, selected: i === v }, `v${i}`));
    }
  };
  setVersions(latest);
  const diffBtn = h('button', { type: 'button', id: 'diff' }, tr('比较', 'Compare'));
  const diffOut = h('pre', { id: 'diff-out', class: 'diff' });
  diffBtn.addEventListener('click', async () => {
    const get = (v: string) =>
      api<{ definition: unknown }>('GET', `/api/forms/${enc}?version=${v}`).then((r) =>
        JSON.stringify(r.definition, null, 2),
      );
    const [a, b] = await Promise.all([get(from.value), get(to.value)]);
    fill(diffOut);
    const changed = lineDiff(a, b).filter((l) => l.kind !== 'same');
    for (const l of changed)
      diffOut.append(h('span', { class: l.kind }, `${l.kind === 'add' ? '+' : '-'} ${l.text}\n`));
    if (!changed.length) diffOut.append(tr('两个版本相同', 'The two versions are the same'));
  });

  // An overlay for one unit of the admin's subtree.
  const ovUnit = h('input', { id: 'overlay-unit', inputmode: 'numeric', placeholder: '511923' });
  const ovText = h('textarea', { id: 'overlay', class: 'code', rows: 6, spellcheck: 'false' });
  const ovBtn = h(
    'button',
    { type: 'button', id: 'overlay-publish' },
    tr('发布地方调整', 'Publish the overlay'),
  );
  const ovOut = h('ul', { class: 'problems', 'aria-live': 'polite' });
  ovBtn.addEventListener('click', async () => {
    fill(ovOut);
    try {
      const overlay = JSON.parse(ovText.value) as unknown;
      const r = await api<{ version: number; orgUnit: string }>('POST', `/api/forms/${enc}/overlays`, {
        orgUnit: ovUnit.value.trim() || undefined,
        overlay,
      });
      ovOut.append(
        h(
          'li',
          { class: 'ok' },
          tr(
            `已发布 ${r.orgUnit} 的调整 v${r.version}`,
            `Published the overlay for ${r.orgUnit}, v${r.version}`,
          ),
        ),
      );
    } catch (e) {
      if (e instanceof ApiError)
        for (const x of e.body.errors ?? [{ path: '', message: e.body.message }])
          ovOut.append(h('li', {}, h('code', {}, x.path || '/'), ' ', t(x.message)));
      else ovOut.append(h('li', {}, String(e)));
    }
  });

  app.append(
    h(
      'p',
      {},
      `${formId} · ${tr('最新', 'newest')} v${latest} · ${tr('已发布', 'published')} ${meta?.publishedVersion ? `v${meta.publishedVersion}` : '—'}`,
    ),
    h(
      'div',
      { class: 'editor' },
      h(
        'div',
        { class: 'pane' },
        h('label', { for: 'definition', class: 'label' }, tr('表单定义（JSON）', 'Form definition (JSON)')),
        text,
        h('h2', {}, tr('检查结果', 'Problems')),
        problems,
        h('div', { class: 'actions' }, save, publish),
      ),
      h('div', { class: 'pane' }, h('h2', {}, tr('预览', 'Preview')), preview),
    ),
    h('h2', {}, tr('版本比较', 'Compare versions')),
    h(
      'div',
      { class: 'filters' },
      h('label', { for: 'diff-from' }, tr('从', 'From'), ' ', from),
      h('label', { for: 'diff-to' }, tr('到', 'To'), ' ', to),
      diffBtn,
    ),
    diffOut,
    h('h2', {}, tr('地方调整', 'Overlay for a unit')),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'overlay-unit', class: 'label' }, tr('单位代码', 'Unit code')),
      ovUnit,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'overlay', class: 'label' }, tr('调整（JSON）', 'Overlay (JSON)')),
      ovText,
    ),
    ovBtn,
    ovOut,
  );
  check();
}
