import { ConfigError } from '../errors/runtime-errors.js';
import type { HttpHandler, HttpMethod } from './types.js';

export interface Route {
  readonly method: HttpMethod;
  /** Exact path, or a prefix when it ends in `/*` (`/api/v1/*` matches `/api/v1/query`). */
  readonly pattern: string;
  readonly handler: HttpHandler;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

/** Exact routes win over prefixes; among prefixes the longest wins. */
export class Router {
  readonly #routes: Route[] = [];

  add(method: HttpMethod, pattern: string, handler: HttpHandler): void {
    if (!pattern.startsWith('/')) throw new ConfigError(`registering route ${method} ${pattern}: path must start with "/"`);
    if (this.#routes.some((r) => r.pattern === pattern && (r.method === method || r.method === '*' || method === '*'))) {
      throw new ConfigError(`registering route ${method} ${pattern}: already registered`);
    }
    this.#routes.push({ method, pattern, handler });
  }

  match(method: string, path: string): RouteMatch {
    const candidates = this.#routes
      .filter((r) => r.pattern.endsWith('/*') ? path.startsWith(r.pattern.slice(0, -1)) || path === r.pattern.slice(0, -2) : r.pattern === path)
      .sort((a, b) => rank(b) - rank(a));
    if (candidates.length === 0) return { kind: 'not-found' };
    const best = rank(candidates[0]!);
    const top = candidates.filter((r) => rank(r) === best);
    const hit = top.find((r) => r.method === method || r.method === '*' || (method === 'HEAD' && r.method === 'GET'));
    if (hit) return { kind: 'found', route: hit };
    return { kind: 'method-not-allowed', allow: [...new Set(top.map((r) => r.method))] };
  }
}

function rank(r: Route): number {
  return r.pattern.endsWith('/*') ? r.pattern.length : Number.MAX_SAFE_INTEGER;
}
