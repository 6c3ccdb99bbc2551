import { describe, expect, it } from 'vitest';
import {
  attachmentRefs,
  isImage,
  plainValue,
  ticks,
  tickText,
  YES_NO,
} from '../../../plugins/web/client/print-marks.ts';

const zh = (l: unknown) => (l as { 'zh-CN': string })['zh-CN'];
const causes = [
  { value: 'illness', label: { 'zh-CN': '疾病', en: 'Illness' } },
  { value: 'disaster', label: { 'zh-CN': '灾害', en: 'Disaster' } },
  { value: 'disability', label: { 'zh-CN': '残疾', en: 'Disability' } },
];

describe('print marks', () => {
  it('prints every option, ticking the chosen ones of a list', () => {
    expect(tickText(ticks(causes, ['illness', 'disability'], zh))).toBe('☑疾病 □灾害 ☑残疾');
  });

  it('ticks one value, and nothing on a blank form', () => {
    expect(tickText(ticks(causes, 'disaster', zh))).toBe('□疾病 ☑灾害 □残疾');
    expect(tickText(ticks(causes, undefined, zh))).toBe('□疾病 □灾害 □残疾');
    expect(tickText(ticks(causes, null, zh))).toBe('□疾病 □灾害 □残疾');
  });

  it('prints yes/no as two boxes, false ticking 否 (not a blank)', () => {
    expect(tickText(ticks(YES_NO, true, zh))).toBe('☑是 □否');
    expect(tickText(ticks(YES_NO, false, zh))).toBe('□是 ☑否');
    expect(tickText(ticks(YES_NO, undefined, zh))).toBe('□是 □否');
  });

  it('matches numbers and their text alike (disability grade "1" and 1)', () => {
    const grades = [
      { value: '1', label: { 'zh-CN': '一级' } },
      { value: '2', label: { 'zh-CN': '二级' } },
    ];
    expect(tickText(ticks(grades, 1, zh))).toBe('☑一级 □二级');
  });

  it('reads attachment references of a signature (one) and of photos (a list), masked ones without id', () => {
    const sig = { id: 'ab'.repeat(32), name: 'sign.png', type: 'image/png', size: 4000 };
    expect(attachmentRefs(sig)).toEqual([{ id: sig.id, name: 'sign.png', type: 'image/png', masked: false }]);
    const photos = [sig, { id: null, name: '***', type: 'image/jpeg', size: 1, masked: true }];
    expect(attachmentRefs(photos).map((r) => [r.id, r.masked])).toEqual([
      [sig.id, false],
      [null, true],
    ]);
    expect(attachmentRefs(undefined)).toEqual([]);
    expect(attachmentRefs('text')).toEqual([]);
    expect(isImage(attachmentRefs(sig)[0] as never)).toBe(true);
    expect(isImage({ id: 'x', name: 'a.pdf', type: 'application/pdf', masked: false })).toBe(false);
  });

  it('adds the unit unless the label says it already', () => {
    expect(plainValue(4234.33, '元', '现金存款')).toBe('4234.33 元');
    expect(plainValue(2950.78, '元', '年收入（元）')).toBe('2950.78');
    expect(plainValue('', '元', '现金存款')).toBe('');
    expect(plainValue(0, '元', '现金存款')).toBe('0 元');
  });
});
