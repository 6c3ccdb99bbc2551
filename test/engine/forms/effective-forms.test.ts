import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EffectiveForms } from '../../../engine/forms/effective-forms.ts';
import { publishDraft, saveDraft } from '../../../engine/forms/form-store.ts';
import { saveOverlay } from '../../../engine/forms/overlay-store.ts';
import { importOrgUnits } from '../../../engine/org/import.ts';
import { TEST_ORG_UNITS } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdForm } from '../../helpers/forms.ts';

const t2 = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const PINGCHANG = '/510000/511900/511923/';

describe.each(dialects())('effective forms on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
    await importOrgUnits(t.db, TEST_ORG_UNITS);
    await saveDraft(t.db, householdForm(), null);
    await publishDraft(t.db, 'test-household', null);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const relabel = (en: string) => ({
    form: 'test-household',
    operations: [{ op: 'relabel' as const, field: 'headName', label: t2(en, en) }],
  });
  const headLabel = async (forms: EffectiveForms, path = PINGCHANG) =>
    (await forms.get('test-household', path))?.definition.sections[0]?.fields[0]?.label.en;

  it('applies overlays top down, caches, and sees another process’s publish after invalidate or the TTL', async () => {
    const cached = new EffectiveForms(t.db, { ttlMs: 60_000 });
    const fresh = new EffectiveForms(t.db, { ttlMs: 0 });
    expect(await headLabel(cached)).toBe('Name of the head');
    await saveOverlay(t.db, {
      formId: 'test-household',
      orgCode: '511900',
      orgPath: '/510000/511900/',
      overlay: relabel('City'),
      publish: true,
      actor: null,
    });
    await saveOverlay(t.db, {
      formId: 'test-household',
      orgCode: '510000',
      orgPath: '/510000/',
      overlay: relabel('Province'),
      publish: true,
      actor: null,
    });
    // The city overlay comes after the province's, whatever order they were published in.
    expect(await headLabel(fresh)).toBe('City');
    expect(await headLabel(fresh, '/510000/510100/')).toBe('Province');
    expect(await headLabel(cached)).toBe('Name of the head');
    cached.invalidate();
    expect(await headLabel(cached)).toBe('City');
    // A newer overlay version at the same unit replaces the old one.
    await saveOverlay(t.db, {
      formId: 'test-household',
      orgCode: '511900',
      orgPath: '/510000/511900/',
      overlay: relabel('City v2'),
      publish: true,
      actor: null,
    });
    expect(await headLabel(fresh)).toBe('City v2');
    // An unpublished draft overlay changes nothing.
    await saveOverlay(t.db, {
      formId: 'test-household',
      orgCode: '511900',
      orgPath: '/510000/511900/',
      overlay: relabel('Draft'),
      publish: false,
      actor: null,
    });
    expect(await headLabel(fresh)).toBe('City v2');
    expect(await new EffectiveForms(t.db).get('no-such-form', PINGCHANG)).toBeUndefined();
  });
});
