import type { FormDefinition } from '../../../../engine/entry/definition.ts';
import { FormDefinitionSchema, jsonErrorOffset, loadForm } from '../../../../engine/entry/definition.ts';
import { loadPatternEngine } from '../../../../engine/entry/runtime.ts';
import { confirmDialog } from '../actions.ts';
import { ApiError, api } from '../api.ts';
import { createCodeEditor } from '../code-editor.ts';
import { fill, h } from '../dom.ts';
import { renderForm } from '../form-view.ts';
import { t, tr } from '../i18n.ts';
import { pointerOffset } from '../json-pointer-offset.ts';
import { lineDiff } from '../line-diff.ts';
import { overlayExamples } from '../overlay-examples.ts';
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

interface Reach {
  owner: { code: string; name: string } | null;
  overlays: { code: string; name: string; version: number; errors: { path: string; message: unknown }[] }[];
}
interface CheckAnswer {
  ok: boolean;
  errors: { path: string; code: string; message: unknown; hint?: unknown }[];
  reach: Reach;
}

const unitName = (u: { code: string; name: string }) => `${u.name}（${u.code}）`;

/** The units a publication reaches, in words, for the confirmation. */
function reachInWords(reach: Reach): { units: string; consequence: string } {
  const units = reach.owner
    ? tr(`${unitName(reach.owner)}及其下属全部单位`, `${unitName(reach.owner)} and every unit below it`)
    : tr('全部单位（此表单属于最高一级）', 'Every unit (the form belongs to the top level)');
  const broken = reach.overlays.filter((o) => o.errors.length > 0);
  const kept = reach.overlays.filter((o) => o.errors.length === 0);
  const parts = [
    tr(
      '发布后，这些单位新填的表按新版本填写。',
      'Once published, new submissions in these units use the new version.',
    ),
  ];
  if (kept.length)
    parts.push(
      tr(
        `地方调整照常套用：${kept.map(unitName).join('、')}。`,
        `Overlays still applied: ${kept.map(unitName).join(', ')}.`,
      ),
    );
  if (broken.length)
    parts.push(
      tr(
        `这些单位的地方调整无法套用到新版本，需修改：${broken.map(unitName).join('、')}。`,
        `These units' overlays no longer apply to the new version and must be changed: ${broken.map(unitName).join(', ')}.`,
      ),
    );
  return { units, consequence: parts.join(' ') };
}

/**
 * Administrators: the definition as JSON in a code editor — completion from the form schema,
 * problems from the server's check marked in the text and listed as links to their lines —
 * beside a live preview of the generated form; save a draft version, publish after a confirmation
 * naming the units it reaches, compare versions, publish an overlay for a unit (with an example
 * of each operation).
 */
export async function editorPage(app: HTMLElement): Promise<void> {
  const formId = decodeURIComponent(location.pathname.split('/')[4] ?? '');
  const enc = encodeURIComponent(formId);
  // The editor checks every pattern typed with the server's engine, loaded with the page.
  const engine = loadPatternEngine();
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
  await engine;

  const host = h('div', { class: 'code-editor', id: 'definition-editor' });
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  const editor = createCodeEditor({
    parent: host,
    doc: JSON.stringify(current.definition, null, 2),
    schema: FormDefinitionSchema as unknown as Record<string, unknown>,
    attributes: { id: 'definition', 'aria-labelledby': 'definition-label', 'aria-describedby': 'problems' },
    onChange: () => {
      clearTimeout(timer);
      timer = setTimeout(() => void check(), 250);
    },
  });

  const located = (p: Located, text: string) => p.offset ?? pointerOffset(text, p.pointer);
  const show = (items: Located[]) => {
    const text = editor.text();
    fill(problems);
    editor.mark(items.map((p) => ({ offset: located(p, text), message: t(p.message) })));
    for (const p of items) {
      const at = located(p, text);
      const line = lineCol(text, at).split(':')[0];
      const link = h(
        'a',
        {
          href: '#definition',
          class: 'pointer',
          'data-pointer': p.pointer,
          'data-offset': at,
          'data-line': line,
        },
        h('code', {}, p.pointer || '/'),
        ` ${tr('第', 'line ')}${line}${tr(' 行', '')}`,
      );
      link.addEventListener('click', (ev) => {
        ev.preventDefault();
        editor.jumpTo(located(p, editor.text()));
      });
      problems.append(
        h('li', {}, link, ' ', t(p.message), p.hint ? h('small', {}, ` — ${t(p.hint)}`) : null),
      );
    }
  };

  /** The server's check of the text as it is (the save's own loader, with every configured plugin). */
  const serverCheck = (json: unknown) =>
    api<CheckAnswer>('POST', `/api/forms/${enc}/check`, json).catch(() => undefined);

  let round = 0;
  /** Checks the text: syntax here at once, the definition with the server's loader (here too, for the preview). */
  const check = async () => {
    const mine = ++round;
    valid = undefined;
    const text = editor.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const at = jsonErrorOffset(text);
      const offset = at < 0 ? text.length : at;
      show([
        {
          pointer: lineCol(text, offset),
          offset,
          message: { 'zh-CN': 'JSON 语法错误', en: 'JSON syntax error' },
        },
      ]);
      return;
    }
    const r = loadForm(json, runtimeRegistries());
    if (r.ok) {
      valid = r.value;
      try {
        fill(preview, renderForm(r.value, { ctx: { today: chinaToday() } }).element);
      } catch (e) {
        fill(preview, h('p', { class: 'error' }, String(e)));
      }
    }
    const server = await serverCheck(json);
    if (mine !== round) return; // a newer text is being checked
    const found: Located[] = server
      ? server.errors.map((x) => ({ pointer: x.path, message: x.message, hint: x.hint }))
      : r.ok
        ? []
        : r.problems;
    if (server && !server.ok) valid = undefined;
    show(found);
    if (!found.length) problems.append(h('li', { class: 'ok' }, tr('定义有效', 'The definition is valid')));
  };

  const store = async (): Promise<boolean> => {
    await check();
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
    await check();
    const def = valid;
    if (!def) {
      status(tr('定义有错误，未发布', 'The definition has problems; not published'), 'error');
      return;
    }
    const answer = await serverCheck(def);
    if (!answer) {
      status(tr('无法连接服务器，未发布', 'The server cannot be reached; not published'), 'error');
      return;
    }
    const words = reachInWords(answer.reach);
    const yes = await confirmDialog({
      title: tr(`发布“${t(def.title)}”的新版本？`, `Publish a new version of "${t(def.title)}"?`),
      family: words.units,
      consequence: words.consequence,
      confirmLabel: tr('保存并发布', 'Save and publish'),
    });
    if (!yes || !(await store())) return;
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

  // An overlay for one unit of the admin's subtree, with an example of each operation.
  const ovUnit = h('input', { id: 'overlay-unit', inputmode: 'numeric', placeholder: '511923' });
  const ovHost = h('div', { class: 'code-editor', id: 'overlay-editor' });
  const ovEditor = createCodeEditor({
    parent: ovHost,
    doc: '',
    attributes: { id: 'overlay', 'aria-labelledby': 'overlay-label' },
  });
  const ovBtn = h(
    'button',
    { type: 'button', id: 'overlay-publish' },
    tr('发布地方调整', 'Publish the overlay'),
  );
  const ovOut = h('ul', { class: 'problems', 'aria-live': 'polite' });
  ovBtn.addEventListener('click', async () => {
    fill(ovOut);
    try {
      const overlay = JSON.parse(ovEditor.text()) as unknown;
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
  const examples = h('ul', { id: 'overlay-examples', class: 'examples' });
  for (const ex of overlayExamples(current.definition)) {
    const use = h(
      'button',
      { type: 'button', 'data-op': ex.op, 'aria-describedby': `example-${ex.op}` },
      tr('用此示例', 'Use this example'),
    );
    const code = JSON.stringify(ex.overlay, null, 2);
    use.addEventListener('click', () => {
      ovEditor.setText(code);
      ovEditor.jumpTo(0);
    });
    examples.append(
      h(
        'li',
        {},
        h('h3', { id: `example-${ex.op}` }, h('code', {}, ex.op), ' ', t(ex.title)),
        h('pre', { class: 'diff example' }, JSON.stringify(ex.overlay.operations[0], null, 2)),
        use,
      ),
    );
  }

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
        h('p', { id: 'definition-label', class: 'label' }, tr('表单定义（JSON）', 'Form definition (JSON)')),
        host,
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
      h('p', { id: 'overlay-label', class: 'label' }, tr('调整（JSON）', 'Overlay (JSON)')),
      ovHost,
    ),
    ovBtn,
    ovOut,
    h('h3', {}, tr('每种调整的示例', 'An example of each operation')),
    examples,
  );
  await check();
}
