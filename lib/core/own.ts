// Reading a lookup table by a key that comes from outside (an alarm's topic, a Slack error code, a
// severity): own keys only, so `constructor` or `__proto__` never finds Object's. Pure module:
// bundled into the Lambda handlers.

/** `table[key]` when `key` is one of the table's own keys; undefined otherwise (and for an empty or no key). */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key && Object.hasOwn(table, key) ? table[key] : undefined;
}
