/**
 * “First input ready” on a form page: the form's compiled runtime is attached (the form view
 * exists, so `compileForm` has run) and its first input is in the document and enabled. Marked
 * once per page as `performance.mark('nx:first-input-ready')` and as
 * `<body data-first-input-ready="<ms since navigation start>">`, which `bench/cases/page-load.ts`
 * reads.
 */
export function markFirstInputReady(form: HTMLElement): void {
  if (document.body.dataset.firstInputReady) return;
  const first = form.querySelector<HTMLInputElement>('input, select, textarea');
  if (!first?.isConnected || first.disabled) return;
  const m = performance.mark('nx:first-input-ready');
  document.body.dataset.firstInputReady = m.startTime.toFixed(1);
}
