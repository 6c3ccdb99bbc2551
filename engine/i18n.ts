import { type Static, Type } from '@sinclair/typebox';

/** A label in Chinese (shown first) and English. */
export const Text = Type.Object(
  {
    'zh-CN': Type.String({ minLength: 1, description: '中文（首选）' }),
    en: Type.String({ minLength: 1, description: 'English' }),
  },
  { additionalProperties: false, description: 'Bilingual text: zh-CN first, English beside it.' },
);
export type Text = Static<typeof Text>;

export type Locale = 'zh-CN' | 'en';

/** Builds a Text from its two halves. */
export const text = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });
