// Scores passwords with zxcvbn off the main thread: a hostile 64-character password can take
// a few hundred milliseconds to score, which must not stall the server's event loop.
// Plain JavaScript (no TypeScript loader needed in the thread).
import { parentPort } from 'node:worker_threads';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

/**
 * Words guessed first against Chinese casework accounts, beside the common-password list:
 * pinyin favourites, placeholder names, the product and its places.
 */
const LOCAL_WORDS = [
  'woaini',
  'wodemima',
  'mima',
  'aini',
  'zhangsan',
  'lisi',
  'wangwu',
  'zhaoliu',
  'minzheng',
  'dibao',
  'jiuzhu',
  'shebao',
  'sichuan',
  'chengdu',
  'bazhong',
  'pingchang',
  'zhongguo',
  'china',
  '5201314',
  '1314520',
  'qwe123',
  'abc123',
];

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, local: LOCAL_WORDS },
  graphs: common.adjacencyGraphs,
  // Only the first 64 characters are scored: more only adds strength, and bounds the work.
  maxLength: 64,
});

parentPort?.on('message', (m) => {
  try {
    const r = zxcvbn.check(m.password, m.userInputs);
    parentPort?.postMessage({ id: m.id, score: r.score, warning: r.feedback.warning ?? null });
  } catch (err) {
    parentPort?.postMessage({ id: m.id, error: String(err) });
  }
});
