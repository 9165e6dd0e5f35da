/**
 * The typed task registry. Piscina addresses a task by module file + export name; a `TaskSpec`
 * adds the input/output types, taken from the task function's own type:
 *
 *   import type { decode } from './tasks/decode.task.js';            // type-only: not loaded here
 *   export const storeTasks = defineTasks({
 *     decode: taskSpec<typeof decode>(workerModule(import.meta.url, './tasks/decode.task'), 'decode'),
 *   });
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors/runtime-errors.js';
import type { TaskFn, TaskFnIn, TaskFnOut } from './task.js';

/** Where a task lives, and (phantom) what goes in and out. */
export interface TaskSpec<In, Out> {
  /** `file:` URL of the task module. */
  readonly module: string;
  readonly exportName: string;
  readonly __io?: (i: In) => Out;
}

export type TaskRegistry = Readonly<Record<string, TaskSpec<never, unknown>>>;
export type TaskIn<S> = S extends TaskSpec<infer I, unknown> ? I : never;
export type TaskOut<S> = S extends { readonly __io?: (i: never) => infer O } ? O : never;

/** A spec typed from the task function (`taskSpec<typeof decode>(url, 'decode')`). */
export function taskSpec<F extends TaskFn<never, unknown>>(module: URL | string, exportName: string): TaskSpec<TaskFnIn<F>, TaskFnOut<F>> {
  const href = module instanceof URL ? module.href : module;
  if (!href.startsWith('file:')) throw new ConfigError(`defining worker task ${exportName}: module must be a file: URL, got ${href}`);
  return { module: href, exportName };
}

/** Validates and freezes a registry (names become the pool's `run` keys). */
export function defineTasks<R extends TaskRegistry>(tasks: R): R {
  for (const [name, spec] of Object.entries(tasks)) {
    if (!/^[A-Za-z][\w.-]*$/u.test(name)) throw new ConfigError(`defining worker task "${name}": bad task name`);
    if (!/\.(ts|js|mts|mjs)$/u.test(spec.module)) throw new ConfigError(`defining worker task ${name}: module ${spec.module} must end in .ts or .js`);
  }
  return Object.freeze(tasks);
}

/**
 * The URL of a sibling task module with the same extension as the caller's own file, so one
 * registry works from TypeScript sources (`.ts`, under tsx or tap) and from compiled JS (`.js`).
 * `relative` has no extension: `workerModule(import.meta.url, './tasks/decode.task')`.
 */
export function workerModule(callerUrl: string, relative: string): URL {
  const ext = extname(fileURLToPath(callerUrl));
  return new URL(`${relative}${ext === '.ts' || ext === '.mts' ? '.ts' : '.js'}`, callerUrl);
}
