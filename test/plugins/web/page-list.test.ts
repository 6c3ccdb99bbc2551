import { describe, expect, it } from 'vitest';
import { PAGES, pageList } from '../../../plugins/web/server/page-list.ts';

const home = { path: '/', page: 'home', title: { 'zh-CN': '首页', en: 'Home' } };
const forms = { path: '/fill/:formId', page: 'fill', title: { 'zh-CN': '填写表单', en: 'Fill in a form' } };

describe('the page list (page-list.json)', () => {
  it('loads every page, each once', () => {
    expect(PAGES.length).toBeGreaterThan(0);
    expect(new Set(PAGES.map((p) => p.page)).size).toBe(PAGES.length);
    expect(pageList([home, forms], 'x.json')).toEqual([home, forms]);
  });

  it('stops at a bad entry and names it by its place', () => {
    expect(() => pageList([home, { ...forms, path: 'fill' }], 'x.json')).toThrow('x.json: /1: the path');
    expect(() => pageList([home, { ...forms, page: 'Fill' }], 'x.json')).toThrow('/1: the page name');
    expect(() => pageList([{ ...home, title: { 'zh-CN': '首页', en: '' } }], 'x.json')).toThrow(
      '/0: the title',
    );
    expect(() => pageList([home, { ...forms, path: '/' }], 'x.json')).toThrow('/1: the path is listed twice');
    expect(() => pageList([home, { ...forms, page: 'home' }], 'x.json')).toThrow(
      '/1: the page name is listed twice',
    );
  });
});
