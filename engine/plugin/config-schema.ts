import { type Static, Type } from '@sinclair/typebox';

/**
 * `nuanxin.config.json`: which plugins start, in which configuration. This TypeBox schema is the
 * single source of both the type and `schemas/config.schema.json` (a test keeps them equal).
 */

export const PluginSpecifier = Type.String({
  minLength: 1,
  description:
    'Built-in name (`rules`), a path to a module (`./plugins/my-plugin/index.ts`, relative to the config file) or a package name',
});

export const PluginEntry = Type.Union([
  PluginSpecifier,
  Type.Object(
    {
      use: PluginSpecifier,
      enabled: Type.Optional(
        Type.Boolean({ default: true, description: 'false keeps the entry but skips it' }),
      ),
      config: Type.Optional(
        Type.Record(Type.String(), Type.Unknown(), {
          description: "The plugin's config, checked by its schema",
        }),
      ),
    },
    { additionalProperties: false },
  ),
]);
export type PluginEntry = Static<typeof PluginEntry>;

export const NuanxinConfig = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    plugins: Type.Array(PluginEntry, {
      description: 'Plugins to load; order is kept where dependencies allow',
    }),
    // Sections owned by the server and the store; checked by their owners.
    server: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    database: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    attachments: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'Where attachment contents are kept: local folder or S3-compatible bucket (docs/attachments.md)',
      }),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://nuanxin.dev/schemas/config.schema.json',
    title: 'Nuanxin configuration',
  },
);
export type NuanxinConfig = Static<typeof NuanxinConfig>;

/** `schemas/config.schema.json`: the JSON Schema an editor uses for `nuanxin.config.json`. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    // JSON round trip: drops TypeBox's symbol keys, keeps what a JSON Schema reader sees.
    ...(JSON.parse(JSON.stringify(NuanxinConfig)) as Record<string, unknown>),
  };
}
