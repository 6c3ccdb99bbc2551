/**
 * Named things (operations, field types …) in a Map, not an object, so a name such as
 * `toString` or `__proto__` is simply unknown. `check` throws for an item the registry must not
 * take; a sealed registry takes none (`sealed` makes the error) until it is forked.
 */
export class MapRegistry<T extends { readonly name: string }> {
  readonly #items: Map<string, T>;
  readonly #check: (item: T) => void;
  readonly #sealed: (() => Error) | undefined;

  constructor(check: (item: T) => void, items: Iterable<[string, T]> = [], sealed?: () => Error) {
    this.#check = check;
    this.#items = new Map(items);
    this.#sealed = sealed;
  }

  register(item: T): void {
    if (this.#sealed) throw this.#sealed();
    this.#check(item);
    this.#items.set(item.name, item);
  }

  get(name: string): T | undefined {
    return this.#items.get(name);
  }

  has(name: string): boolean {
    return this.#items.has(name);
  }

  names(): string[] {
    return [...this.#items.keys()];
  }

  /** A copy that can be extended without changing this one (a fork of a sealed registry is open). */
  fork(): MapRegistry<T> {
    return new MapRegistry(this.#check, this.#items);
  }
}
