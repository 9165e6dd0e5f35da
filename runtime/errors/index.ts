export * from './coded-error.js';
export * from './runtime-errors.js';
