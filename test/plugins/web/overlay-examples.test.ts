import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FormDefinition, loadOverlay } from '../../../engine/entry/definition.ts';
import { overlayExamples } from '../../../plugins/web/client/overlay-examples.ts';

/** The editor's overlay examples: one per operation, each applying to the form it is shown for. */

const FORMS = join(import.meta.dirname, '../../../forms');

describe('overlay examples', () => {
  for (const file of readdirSync(FORMS).filter((f) => f.endsWith('.json'))) {
    it(`every example applies to ${file}`, () => {
      const def = JSON.parse(readFileSync(join(FORMS, file), 'utf8')) as FormDefinition;
      const examples = overlayExamples(def);
      expect(examples.map((e) => e.op)).toEqual([
        'addField',
        'hideField',
        'relabel',
        'setOptions',
        'tighten',
        'setCalculation',
      ]);
      const hasSelect = JSON.stringify(def).includes('"type":"select"');
      for (const e of examples) {
        if (e.op === 'setOptions' && !hasSelect) continue;
        if (e.op === 'setCalculation' && !JSON.stringify(def).includes('"calculate"')) continue;
        const r = loadOverlay(e.overlay, def);
        expect(r.ok ? [] : r.problems.map((p) => `${p.pointer} ${p.code}`), e.op).toEqual([]);
      }
    });
  }
});
