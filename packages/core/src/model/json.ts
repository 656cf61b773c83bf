// A leaf of the model: the JSON a message argument holds, shared by the message and the argument
// checks without either importing the other.

/** A JSON value, as carried by message arguments. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
