// The seeded fault campaign (`pnpm campaign`): see ../../README.md. Filled in by the campaign work.
export {};
