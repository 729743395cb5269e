import { InputError } from '../../src/model.js';

/** Runs `f`, expecting an InputError (exit 2 material); returns it. Any other outcome fails the test. */
export function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}
