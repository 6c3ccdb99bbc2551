/** The engine's version, which plugins' `engine` ranges are checked against (kept equal to package.json by a test). */
export const ENGINE_VERSION = '0.1.0';
