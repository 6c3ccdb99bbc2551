/**
 * The policy every page is served with: scripts and styles only from files of this server, no
 * inline code, no eval, no plugins, no framing. The API's own (laxer, for /docs) stays as is.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
