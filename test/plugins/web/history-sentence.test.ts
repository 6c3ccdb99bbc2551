import { describe, expect, it } from 'vitest';
import { historySentence } from '../../../plugins/web/client/history-sentence.ts';

const step = {
  action: 'return',
  label: { 'zh-CN': '退回修改', en: 'Return for revision' },
  kind: 'return',
  from: 'township_review',
  to: 'draft',
  fromLabel: { 'zh-CN': '乡镇审核', en: 'Township review' },
  toLabel: { 'zh-CN': '待提交', en: 'Draft' },
  actor: 'baiyi.reviewer',
  actorName: '白衣镇审核员',
  comment: '缺少户主签字页',
};

describe('history as sentences', () => {
  it('says who, what, where the case went and the comment, in Chinese', () => {
    expect(historySentence(step, 'zh-CN')).toBe(
      '白衣镇审核员（baiyi.reviewer）办理“退回修改”，案件从“乡镇审核”转到“待提交”，意见：“缺少户主签字页”。',
    );
  });

  it('and in English, with no Chinese but the names people gave', () => {
    expect(historySentence(step, 'en')).toBe(
      '白衣镇审核员 (baiyi.reviewer): Return for revision, moving the case from “Township review” to “Draft”. Comment: “缺少户主签字页”.',
    );
  });

  it('names a timer as the system, and a step that stays where it is', () => {
    const timer = {
      ...step,
      action: 'notice_over',
      label: { 'zh-CN': '公示期满', en: 'Notice period over' },
      kind: 'timer',
      actor: null,
      actorName: null,
      comment: null,
    };
    expect(historySentence(timer, 'zh-CN')).toBe('系统按时限自动“公示期满”，案件从“乡镇审核”转到“待提交”。');
    expect(historySentence(timer, 'en')).toMatch(/^The system \(a time limit\): Notice period over, moving/);
    const stays = { ...step, to: 'township_review', toLabel: step.fromLabel, comment: ' ' };
    expect(historySentence(stays, 'zh-CN')).toBe(
      '白衣镇审核员（baiyi.reviewer）办理“退回修改”，案件仍在“乡镇审核”。',
    );
    expect(historySentence(stays, 'en')).toContain('the case stays at “Township review”.');
  });

  it('falls back to the ids without words (an older server) and to the username without a name', () => {
    const bare = { action: 'submit', from: 'draft', to: 'township_review', actor: 'baiyicun.staff' };
    expect(historySentence(bare, 'zh-CN')).toBe(
      'baiyicun.staff办理“submit”，案件从“draft”转到“township_review”。',
    );
  });
});
