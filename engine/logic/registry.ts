import { NxError } from '../errors/nx-error.ts';
import { customOperations } from './ops/custom.ts';
import { standardOperations } from './ops/standard.ts';
import type { OperationDefinition, OperationRegistry } from './types.ts';

/** A Map, not an object, so an operation named `toString` or `__proto__` is simply unknown. */
class MapRegistry implements OperationRegistry {
  readonly #ops: Map<string, OperationDefinition>;

  readonly #sealed: boolean;

  constructor(ops: Iterable<[string, OperationDefinition]> = [], sealed = false) {
    this.#ops = new Map(ops);
    this.#sealed = sealed;
  }

  register(op: OperationDefinition): void {
    if (this.#sealed) {
      throw new NxError('NX_ERR_LOGIC_SEALED_REGISTRY', 500, {
        'zh-CN': '默认运算注册表不可修改，请先 fork()',
        en: 'The default operation registry is read-only; fork() it first',
      });
    }
    if (typeof op.name !== 'string' || op.name === '' || typeof op.compile !== 'function') {
      throw new NxError('NX_ERR_LOGIC_BAD_OPERATION', 500, {
        'zh-CN': '运算定义无效：需要名称和 compile 函数',
        en: 'Invalid operation: it needs a name and a compile function',
      });
    }
    this.#ops.set(op.name, op);
  }

  get(name: string): OperationDefinition | undefined {
    return this.#ops.get(name);
  }

  has(name: string): boolean {
    return this.#ops.has(name);
  }

  names(): string[] {
    return [...this.#ops.keys()];
  }

  fork(): OperationRegistry {
    return new MapRegistry(this.#ops);
  }
}

/**
 * A registry with the standard JSON Logic operations and Nuanxin's own (idcard_age, idcard_sex,
 * idcard_birthdate, idcard_valid, sum, count, round, date_diff, today). Each call returns a new,
 * independent registry; a plugin adds operations to a `fork()`.
 */
export function createOperationRegistry(): OperationRegistry {
  const reg = new MapRegistry();
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
      reg.names().map((n) => [n, reg.get(n) as OperationDefinition]),
      true,
    );
  }
  return shared;
}
