import { describe, expect, it } from 'vitest';
import { menuSource } from '../../../plugins/web/server/bundle.ts';
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
    expect(() => pageList([home, { ...forms, menu: {} }], 'x.json')).toThrow('/1: a page with a parameter');
    expect(() => pageList([{ ...home, menu: { roles: ['Admin'] } }], 'x.json')).toThrow('/0: a menu role');
    expect(() => pageList([home, { ...forms, path: '/' }], 'x.json')).toThrow('/1: the path is listed twice');
    expect(() => pageList([home, { ...forms, page: 'home' }], 'x.json')).toThrow(
      '/1: the page name is listed twice',
    );
  });
});

describe('the header menu the page list gives the pages (nuanxin:menu)', () => {
  const menu = JSON.parse(
    menuSource()
      .replace(/^export const menu = /, '')
      .replace(/;$/, ''),
  ) as {
    href: string;
    label: { 'zh-CN': string; en: string };
    roles: string[] | null;
  }[];
  const seen = (...roles: string[]) =>
    menu.filter((m) => !m.roles || m.roles.some((r) => roles.includes(r))).map((m) => m.label.en);
  const civil = ['Households', 'Conflicts', 'Reports', 'Findings', 'Monitoring'];

  it('shows each role its entries in order, under the short labels', () => {
    expect(seen('field_staff')).toEqual(['Home', 'Forms', ...civil, 'Referrals']);
    const review = ['Tasks', 'Payments', 'Benefits'];
    expect(seen('reviewer')).toEqual(['Home', ...review, ...civil, 'Lists', 'Referrals']);
    const admin = ['Forms admin', 'Users', 'Standards'];
    expect(seen('admin')).toEqual(['Home', 'Forms', ...review, ...civil, 'Lists', 'Referrals', ...admin]);
    expect(seen('hrss')).toEqual(['Home', 'Payments', 'Card accounts', 'Reports']);
    expect(seen('finance')).toEqual(['Home', 'Payments', 'Reports']);
    expect(seen('department')).toEqual(['Home', 'Reports']);
  });

  it('links each entry to its page, in both languages', () => {
    const monitoring = menu.find((m) => m.href === '/app/monitoring');
    expect(monitoring?.label).toEqual({ 'zh-CN': '动态监测', en: 'Monitoring' });
    expect(menu[0]).toEqual({ href: '/app/', label: { 'zh-CN': '首页', en: 'Home' }, roles: null });
    expect(menu.every((m) => PAGES.some((p) => `/app${p.path}` === m.href))).toBe(true);
  });
});
