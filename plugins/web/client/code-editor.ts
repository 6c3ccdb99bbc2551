import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { json } from '@codemirror/lang-json';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { jsonCursor, schemaOptions } from './schema-completion.ts';

/**
 * A JSON code editor (CodeMirror 6) for definitions: completion from a JSON Schema at the cursor,
 * problems shown as lint marks in the text and the gutter. CodeMirror adds `<style>` elements; they
 * carry the page's style nonce (`EditorView.cspNonce`), the one the server put on the stylesheet
 * link of this response, so the strict policy holds without `'unsafe-inline'`.
 */
export interface CodeEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Moves the cursor to `offset`, scrolls it into view and focuses the editor. */
  jumpTo(offset: number): void;
  /** Marks the problems in the text (each from its offset to the end of the token there). */
  mark(problems: readonly { offset: number; message: string; severity?: 'error' | 'warning' }[]): void;
}

export interface CodeEditorOptions {
  readonly parent: HTMLElement;
  readonly doc: string;
  /** Attributes of the editable element: its id, label, description. */
  readonly attributes: Record<string, string>;
  /** Completion from this JSON Schema; none without one. */
  readonly schema?: Record<string, unknown>;
  readonly onChange?: () => void;
}

/** The style nonce of this response (the server writes it on the stylesheet link). */
export function styleNonce(): string {
  return document.querySelector<HTMLLinkElement>('link[rel="stylesheet"][nonce]')?.nonce ?? '';
}

/** A CodeMirror completion source over a JSON Schema: property names and enum values at the cursor. */
export function schemaCompletion(schema: Record<string, unknown>) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const text = ctx.state.doc.toString();
    const cursor = jsonCursor(text, ctx.pos);
    if (!cursor) return null;
    // Offered by itself inside a string being typed; elsewhere on request (Ctrl+Space), so Enter
    // after a comma still starts a new line.
    if (cursor.from === ctx.pos && !ctx.explicit) return null;
    const options = schemaOptions(schema, cursor);
    if (!options.length) return null;
    // An editor that closed the quote already: replace it too.
    const to = cursor.from < ctx.pos && text[ctx.pos] === '"' ? ctx.pos + 1 : ctx.pos;
    return {
      from: cursor.from,
      to,
      options: options.map((o) => ({
        label: o.label,
        type: o.kind === 'property' ? 'property' : 'enum',
        ...(o.detail ? { info: o.detail } : {}),
        apply: o.kind === 'property' ? `${o.label}: ` : o.label,
      })),
      validFor: /^"?[\w$-]*"?$/,
    };
  };
}

/** End of the JSON token at `from`: a string to its closing quote, else to the next delimiter. */
function tokenEnd(text: string, from: number): number {
  if (text[from] === '"') {
    let i = from + 1;
    while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
    return Math.min(text.length, i + 1);
  }
  const m = /^[^,\]}\s:]+/.exec(text.slice(from));
  return Math.min(text.length, from + Math.max(1, m?.[0].length ?? 1));
}

export function createCodeEditor(o: CodeEditorOptions): CodeEditor {
  const view = new EditorView({
    doc: o.doc,
    parent: o.parent,
    extensions: [
      basicSetup,
      json(),
      lintGutter(),
      o.schema ? autocompletion({ override: [schemaCompletion(o.schema)] }) : [],
      EditorView.cspNonce.of(styleNonce()),
      // In the tab order explicitly (a contenteditable is anyway), so checkers see that the
      // scroller around it can be scrolled from the keyboard.
      EditorView.contentAttributes.of({ tabindex: '0', ...o.attributes }),
      EditorView.lineWrapping,
      // Through CodeMirror's own (nonced) style element: the site's stylesheet stays as it is.
      EditorView.theme({
        '&': { border: '1px solid #767676', borderRadius: '4px', maxHeight: '70vh', fontSize: '14px' },
        '.cm-scroller': { overflow: 'auto' },
      }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) o.onChange?.();
      }),
    ],
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    jumpTo(offset) {
      const at = Math.max(0, Math.min(offset, view.state.doc.length));
      view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: 'center' }) });
      view.focus();
    },
    mark(problems) {
      const text = view.state.doc.toString();
      const diagnostics: Diagnostic[] = problems.map((p) => {
        const from = Math.max(0, Math.min(p.offset, text.length));
        return { from, to: tokenEnd(text, from), severity: p.severity ?? 'error', message: p.message };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
  };
}
