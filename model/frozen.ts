// Deep freezing for the model's immutable states: what is already frozen (shared with an earlier
// state) is not walked again, so freezing a new state costs only its new parts.

/** `value` frozen, and every object in it not frozen yet (parts shared with a frozen state are). */
export function frozen<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    // Members that are not objects (most: strings, numbers) are passed over here, not in a call each.
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "object") frozen(item);
    } else {
      for (const key in value) {
        const member = value[key];
        if (typeof member === "object") frozen(member);
      }
    }
  }
  return value;
}
