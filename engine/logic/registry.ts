import { NxError } from '../errors/nx-error.ts';
import { MapRegistry } from '../map-registry.ts';
import { customOperations } from './ops/custom.ts';
import { standardOperations } from './ops/standard.ts';
import type { OperationDefinition, OperationRegistry } from './types.ts';

/** An operation the registry can take: a name and a compile function. */
function checkOperation(op: OperationDefinition): void {
  if (typeof op.name !== 'string' || op.name === '' || typeof op.compile !== 'function') {
    throw new NxError('NX_ERR_LOGIC_BAD_OPERATION', 500, {
      'zh-CN': '运算定义无效：需要名称和 compile 函数',
      en: 'Invalid operation: it needs a name and a compile function',
    });
  }
}

const sealedError = () =>
  new NxError('NX_ERR_LOGIC_SEALED_REGISTRY', 500, {
    'zh-CN': '默认运算注册表不可修改，请先 fork()',
    en: 'The default operation registry is read-only; fork() it first',
  });

/**
 * A registry with the standard JSON Logic operations and Nuanxin's own (idcard_age, idcard_sex,
 * idcard_birthdate, idcard_valid, sum, count, round, date_diff, today). Each call returns a new,
 * independent registry; a plugin adds operations to a `fork()`.
 */
export function createOperationRegistry(): OperationRegistry {
  const reg = new MapRegistry(checkOperation);
  for (const op of standardOperations) reg.register(op);
  for (const op of customOperations) reg.register(op);
  return reg;
}

let shared: OperationRegistry | undefined;

/** The default registry, created once and read-only (fork it to add operations). */
export function defaultOperationRegistry(): OperationRegistry {
  if (!shared) {
    const reg = createOperationRegistry();
    shared = new MapRegistry(
      checkOperation,
      reg.names().map((n) => [n, reg.get(n) as OperationDefinition]),
      sealedError,
    );
  }
  return shared;
}
