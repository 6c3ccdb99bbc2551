import { Type } from '@sinclair/typebox';
import { fail, okSlot, TYPE } from './common.ts';
import type { FieldTypeDefinition } from './types.ts';

export const booleanType: FieldTypeDefinition = {
  name: 'boolean',
  description: "Yes / no; the text 'true' and 'false' is accepted",
  options: Type.Object({}),
  compile() {
    const ok = okSlot();
    return (raw) => {
      let v: boolean;
      if (typeof raw === 'boolean') v = raw;
      else if (raw === 'true') v = true;
      else if (raw === 'false') v = false;
      else return fail(TYPE, { expected: 'boolean' });
      ok.value = v;
      return ok;
    };
  },
};
