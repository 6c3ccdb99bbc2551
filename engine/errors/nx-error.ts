import type { Text } from '../i18n.ts';

/** One located problem: where (JSON pointer), what (stable code), message and how to fix it. */
export interface ErrorDetail {
  path: string;
  code: string;
  message: Text;
  hint?: Text;
  params?: Record<string, unknown>;
}

/**
 * The one exception type thrown at boundaries (HTTP, CLI, store). Inside the engine, bad input
 * is reported as data; an NxError carries a stable code from the registry in `codes.ts`.
 */
export class NxError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly messageText: Text;
  readonly errors: ErrorDetail[] | undefined;
  /** Sent as `Retry-After` (seconds) with the error: a refusal that lifts by itself (429, 503). */
  retryAfterSeconds?: number;

  constructor(code: string, statusCode: number, message: Text, errors?: ErrorDetail[]) {
    super(`${code}: ${message.en}`);
    this.name = 'NxError';
    this.code = code;
    this.statusCode = statusCode;
    this.messageText = message;
    this.errors = errors;
  }
}
