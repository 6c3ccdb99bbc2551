import { Type } from '@sinclair/typebox';
import { GeopointField } from '../../definition/form-schema.ts';
import { fail, TYPE } from './common.ts';
import type { FieldTypeDefinition } from './types.ts';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Where a form was filled: `{ lat, lon, accuracy }` in WGS 84 degrees and metres (as the
 * browser's geolocation gives them). `accuracy` may be left out unless the field sets `maxAccuracy`.
 */
export const geopointType: FieldTypeDefinition = {
  name: 'geopoint',
  description: 'A location {lat, lon, accuracy} in WGS 84',
  options: Type.Pick(GeopointField, ['maxAccuracy']),
  compile(field) {
    const maxAccuracy = typeof field.maxAccuracy === 'number' ? field.maxAccuracy : undefined;
    return (raw) => {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        return fail(TYPE, { expected: 'geopoint' });
      const { lat, lon, accuracy } = raw as Record<string, unknown>;
      if (!finite(lat) || !finite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180)
        return fail('NX_ERR_VALUE_GEOPOINT');
      if (accuracy !== undefined && (!finite(accuracy) || accuracy < 0)) return fail('NX_ERR_VALUE_GEOPOINT');
      if (maxAccuracy !== undefined) {
        if (accuracy === undefined || accuracy > maxAccuracy)
          return fail('NX_ERR_VALUE_GEO_ACCURACY', { maxAccuracy });
      }
      return { value: accuracy === undefined ? { lat, lon } : { lat, lon, accuracy } };
    };
  },
};
