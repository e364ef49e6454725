import { inspect } from 'node:util';

/**
 * Holds a secret so that it never ends up in a log line, an error message or JSON by accident:
 * `String(secret)`, `JSON.stringify` and `util.inspect` all print a placeholder.
 */
export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return '[secret]';
  }
}
