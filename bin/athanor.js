#!/usr/bin/env node
// Entry point used by `npx athanor` and `npm start`: runs the TypeScript CLI through tsx's
// loader, so a fresh clone needs no build step after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('./athanor.ts');
