/**
 * The policy every page is served with: scripts and styles only from files of this server, no
 * inline code, no eval, no plugins, no framing. The API's own (laxer, for /docs) stays as is.
 * A page whose code adds `<style>` elements (the form editor's CodeMirror) gets a fresh nonce per
 * response for `style-src` only; scripts never take a nonce.
 */
export function pageCsp(styleNonce?: string): string {
  const style = styleNonce ? `'self' 'nonce-${styleNonce}'` : "'self'";
  return (
    `default-src 'self'; script-src 'self'; style-src ${style}; img-src 'self' data:; connect-src 'self'; ` +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
  );
}

export const PAGE_CSP = pageCsp();
