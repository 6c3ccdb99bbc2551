import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../engine/definition/form-schema.ts';
import { loadForm } from '../../../engine/definition/load-form.ts';
import { maskData, unmaskData } from '../../../engine/forms/pii.ts';
import { compileForm } from '../../../engine/runtime/compile-form.ts';
import type { ValidationError } from '../../../engine/runtime/types.ts';

const ctx = { today: '2026-06-01' };
const codes = (errors: ValidationError[]) => errors.map((e) => `${e.path} ${e.code}`);
const L = (zh: string) => ({ 'zh-CN': zh, en: zh });
const sha = (c: string) => c.repeat(64);
const ref = (c: string, type = 'image/jpeg', size = 1000) => ({ id: sha(c), name: `${c}.jpg`, type, size });

function form(): FormDefinition {
  return {
    id: 'field-kit',
    version: 1,
    title: L('入户'),
    sections: [
      {
        id: 's',
        title: L('附件'),
        fields: [
          { id: 'idPhotos', type: 'photo', label: L('身份证照片'), pii: true, minCount: 2, maxCount: 2 },
          { id: 'housePhotos', type: 'photo', label: L('住房照片'), maxCount: 3, maxSize: 2_000_000 },
          { id: 'consent', type: 'file', label: L('授权书'), accept: ['application/pdf', 'image/*'] },
          { id: 'surveyorSignature', type: 'signature', label: L('调查人签字') },
          { id: 'where', type: 'geopoint', label: L('位置'), maxAccuracy: 50 },
        ],
      },
    ],
  } as FormDefinition;
}

describe('attachment and location fields: limits from the definition, checked from the reference', () => {
  const compiled = compileForm(form());

  it('the loader accepts the definition and refuses a bad MIME type in accept', () => {
    expect(loadForm(form())).toMatchObject({ ok: true });
    const bad = form() as unknown as { sections: { fields: Record<string, unknown>[] }[] };
    (bad.sections[0]?.fields[2] as Record<string, unknown>).accept = ['PDF'];
    const r = loadForm(bad);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.pointer)).toContain('/sections/0/fields/2/accept/0');
  });

  it('accepts references within the limits and keeps only id, name, type and size', () => {
    const r = compiled.validate(
      {
        idPhotos: [ref('a'), { ...ref('b', 'image/png'), extra: 'dropped' }],
        housePhotos: ref('c'),
        consent: [ref('d', 'application/pdf')],
        surveyorSignature: ref('e', 'image/png', 4000),
        where: { lat: 31.56, lon: 107.1, accuracy: 12 },
      },
      ctx,
    );
    expect(codes(r.errors)).toEqual([]);
    expect(r.data.idPhotos).toEqual([ref('a'), ref('b', 'image/png')]);
    expect(r.data.housePhotos).toEqual([ref('c')]);
    expect(r.data.surveyorSignature).toEqual(ref('e', 'image/png', 4000));
  });

  it('refuses a wrong type, a file too large, too few and too many files, a copy and a bad reference', () => {
    const r = compiled.validate(
      {
        idPhotos: [ref('a')],
        housePhotos: [ref('c'), ref('c', 'image/jpeg', 5)],
        consent: [ref('d', 'application/zip')],
        surveyorSignature: ref('e', 'image/jpeg'),
        where: { lat: 91, lon: 0 },
      },
      ctx,
    );
    expect(codes(r.errors)).toEqual([
      '/idPhotos NX_ERR_VALUE_MIN_FILES',
      '/housePhotos NX_ERR_VALUE_DUPLICATE_FILE',
      '/consent NX_ERR_VALUE_FILE_TYPE',
      '/surveyorSignature NX_ERR_VALUE_FILE_TYPE',
      '/where NX_ERR_VALUE_GEOPOINT',
    ]);
    const more = compiled.validate(
      {
        housePhotos: [ref('1'), ref('2'), ref('3'), ref('4')],
        consent: [{ id: 'not-a-hash', name: 'x', type: 'application/pdf', size: 1 }],
        surveyorSignature: ref('e', 'image/png', 600 * 1024),
        where: { lat: 31, lon: 107, accuracy: 80 },
      },
      ctx,
    );
    expect(codes(more.errors)).toEqual([
      '/housePhotos NX_ERR_VALUE_MAX_FILES',
      '/consent NX_ERR_VALUE_TYPE',
      '/surveyorSignature NX_ERR_VALUE_FILE_SIZE',
      '/where NX_ERR_VALUE_GEO_ACCURACY',
    ]);
    expect(more.errors[2]?.message.en).toBe('The file may be at most 512 KB');
    const big = compiled.validate({ housePhotos: [ref('1', 'image/jpeg', 2_000_001)] }, ctx);
    expect(codes(big.errors)).toEqual(['/housePhotos NX_ERR_VALUE_FILE_SIZE']);
  });

  it('masks a personal photo and a signature (no id, no name) and restores them when written back masked', () => {
    const def = form();
    const data = {
      idPhotos: [ref('a'), ref('b')],
      housePhotos: [ref('c')],
      surveyorSignature: ref('e', 'image/png'),
    };
    const masked = maskData(def, data);
    expect(masked.idPhotos).toEqual([
      { id: null, name: '***', type: 'image/jpeg', size: 1000, masked: true },
      { id: null, name: '***', type: 'image/jpeg', size: 1000, masked: true },
    ]);
    expect(masked.surveyorSignature).toMatchObject({ id: null, masked: true });
    expect(masked.housePhotos).toEqual([ref('c')]);
    expect(unmaskData(def, masked, data)).toEqual(data);
    expect(unmaskData(def, { ...masked, idPhotos: [ref('f'), ref('g')] }, data).idPhotos).toEqual([
      ref('f'),
      ref('g'),
    ]);
  });
});
