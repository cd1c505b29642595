// A pure function's answers remembered per argument, up to a bound: for the small texts the hot paths
// make again and again from the same few inputs (a member name quoted, a condition key lower-cased, an
// account's default key policy). The inputs can come from a script, so the memory is bounded: past
// `max` remembered answers, a new argument's answer is made each time and not kept. Only for functions
// whose answer depends on nothing but the argument, and is never undefined.

/** `make`, remembering up to `max` answers by argument. */
export function boundedMemo<K, V>(max: number, make: (key: K) => V): (key: K) => V {
  const answers = new Map<K, V>();
  return (key) => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = make(key);
      if (answers.size < max) answers.set(key, answer);
    }
    return answer;
  };
}
