import type { SubmissionRecord } from '../../engine/entry/server.ts';

/** One stored submission as reports read it (the engine's bulk read: `submissionPages`). */
export type SourceSubmission = SubmissionRecord;

/** Groups an ordered stream into pages (to look decisions up for many submissions at once). */
export async function* pages<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let page: T[] = [];
  for await (const item of items) {
    page.push(item);
    if (page.length >= size) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}
