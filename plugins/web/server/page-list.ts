import type { Text } from '../../../engine/entry/plugin.ts';
import LIST from './page-list.json' with { type: 'json' };

/** One page of the web app: the server renders its shell, the client script fills it from the API. */
export interface PageSpec {
  /** Route below `/app` (Fastify syntax). */
  readonly path: string;
  /** Name the client script dispatches on (`<body data-page>`). */
  readonly page: string;
  readonly title: Text;
  /** Its code adds `<style>` elements: a nonce per response for `style-src`, on the stylesheet link for the script to read. */
  readonly styleNonce?: boolean;
  /**
   * In the header's menu (in the list's order) for the signed-in users with one of `roles` (all of
   * them without), under `label` where it is shorter than the title.
   */
  readonly menu?: { readonly label?: Text; readonly roles?: readonly string[] };
}

/** What is wrong with one page of the list, or undefined when nothing is. */
function pageProblem(p: PageSpec): string | undefined {
  if (!/^\/([a-z0-9-]+|:[A-Za-z]+)?(\/([a-z0-9-]+|:[A-Za-z]+))*$/.test(p.path))
    return 'the path is not /a/b/:param';
  if (!/^[a-z][a-z-]*$/.test(p.page)) return 'the page name is not lower-case words joined by -';
  if (!p.title?.['zh-CN'] || !p.title.en) return 'the title lacks its zh-CN or en words';
  if (p.styleNonce !== undefined && typeof p.styleNonce !== 'boolean')
    return 'styleNonce is not true or false';
  const { menu } = p;
  if (menu?.label && (!menu.label['zh-CN'] || !menu.label.en))
    return 'the menu label lacks its zh-CN or en words';
  if (menu?.roles && !menu.roles.every((r) => /^[a-z][a-z_]*$/.test(r)))
    return 'a menu role is not a role name';
  if (menu && /:/.test(p.path)) return 'a page with a parameter in its path is not in the menu';
  return undefined;
}

/**
 * The pages as `page-list.json` lists them, checked as the module loads (each entry, and no path or
 * page name twice), so a bad entry stops the start and names itself.
 */
export function pageList(list: readonly PageSpec[], file: string): readonly PageSpec[] {
  const paths = new Set<string>();
  const names = new Set<string>();
  list.forEach((p, i) => {
    const problem =
      pageProblem(p) ??
      (paths.has(p.path)
        ? 'the path is listed twice'
        : names.has(p.page)
          ? 'the page name is listed twice'
          : undefined);
    if (problem) throw new TypeError(`${file}: /${i}: ${problem}`);
    paths.add(p.path);
    names.add(p.page);
  });
  return list;
}

export const PAGES = pageList(LIST, 'plugins/web/server/page-list.json');
