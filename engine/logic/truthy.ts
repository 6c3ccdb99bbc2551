/**
 * JSON Logic truthiness (https://jsonlogic.com/truthy): like JavaScript, except that an empty
 * array is false, so rules behave the same whatever language evaluates them.
 */
export function truthy(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : !!v;
}
