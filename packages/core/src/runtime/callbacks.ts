/** Adds `listener` to `list`; returns the function that removes it again. */
export function listen<T>(list: T[], listener: T): () => void {
  list.push(listener);
  return () => {
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
  };
}

/**
 * `callback`, wrapped so that an error it throws, or a promise it returns that rejects, goes to
 * `fail` with `where` instead of up the stack: what `ctx.contain()` gives interfaces.
 */
export function contained<A extends unknown[]>(
  where: string,
  callback: (...args: A) => unknown,
  fail: (where: string, err: unknown) => void,
): (...args: A) => void {
  const failed = (err: unknown) => fail(where, err);
  return (...args: A) => {
    try {
      const r = callback(...args);
      if (r instanceof Promise) r.catch(failed);
    } catch (err) {
      failed(err);
    }
  };
}
