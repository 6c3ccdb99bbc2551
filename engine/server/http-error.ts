/** The HTTP layer's name for the domain's request errors (kept so existing imports stay valid). */
export { httpError, notFound } from '../errors/domain-errors.ts';
