// @mg/web: the public API (locked by package.test.ts once the extension lands).
export {};
