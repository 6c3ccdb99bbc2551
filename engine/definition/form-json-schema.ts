import type { TSchema } from '@sinclair/typebox';
import { FormDefinition } from './form-schema.ts';

/**
 * The JSON Schema document for form files (what `nuanxin schemas` writes to
 * `schemas/form.schema.json`). A definition names it in `"$schema"` and editors then complete
 * and check it as it is typed. Written out from the TypeBox schema, never edited by hand.
 */
export function formJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Nuanxin form definition / 暖心表单定义',
    // JSON round trip: drops TypeBox's symbol keys, keeps exactly what a JSON Schema reader sees.
    ...(JSON.parse(JSON.stringify(FormDefinition as TSchema)) as Record<string, unknown>),
  };
}

/** The text of a schema file: two-space JSON and a final newline, so regenerating is diff-free. */
export const schemaFileText = (schema: unknown): string => `${JSON.stringify(schema, null, 2)}\n`;
