/**
 * Contracts of the expression language. JSON Logic rules are compiled once into closures
 * (no eval: pages run under a strict CSP) and evaluated against an environment.
 */

/** What a compiled rule reads. `data` is the submission (or, inside map/filter/reduce, the item). */
export interface LogicEnv {
  readonly data: unknown;
  /** The current table row, for rules of a table column: `{"var":"row.<column>"}`. */
  readonly row?: unknown;
  /** Caller context: `{"var":"ctx.today"}`, `ctx.orgUnit`, `ctx.asOf`, parameters … */
  readonly ctx?: Readonly<Record<string, unknown>>;
}

export type Evaluator = (env: LogicEnv) => unknown;

/**
 * A custom operation. `compile` receives its already-compiled arguments and returns the closure
 * that computes it; `args` are the raw JSON arguments, for operations that need constants.
 */
export interface OperationDefinition {
  readonly name: string;
  /** One-line description, shown in docs and editor hints. */
  readonly description?: string;
  /** Minimum and maximum number of arguments, checked by the loader. */
  readonly arity?: readonly [min: number, max: number];
  /**
   * True when the result depends only on the arguments (no data, row or context is read), so the
   * compiler may compute it once when every argument is a constant.
   */
  readonly pure?: boolean;
  /**
   * Indices of arguments evaluated once per item of an array, with the item as `data`
   * (like `map`'s second argument). `collectVars` does not report their plain paths.
   */
  readonly scopedArgs?: readonly number[];
  compile(args: readonly Evaluator[], raw: readonly unknown[]): Evaluator;
}

/** A registry of operations; plugins add to it (no operation is hard-wired in the compiler's callers). */
export interface OperationRegistry {
  register(op: OperationDefinition): void;
  get(name: string): OperationDefinition | undefined;
  has(name: string): boolean;
  names(): string[];
  /** A copy that can be extended without changing this one. */
  fork(): OperationRegistry;
}
