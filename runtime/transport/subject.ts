import { ConfigError } from '../errors/runtime-errors.js';

/**
 * The only module that builds or parses subject strings. Layout (prefix default `athanor`):
 *
 *   <prefix>.disc.announce                 discovery announcements and goodbyes
 *   <prefix>.disc.probe                    "everyone announce now"
 *   <prefix>.rpc.<component>.<method>      any actor of a component (queue group = component)
 *   <prefix>.rpc.<component>.<method>.<id> one actor instance
 *   <prefix>.inbox.<conn>.<random>         stream control/reply subjects (private to a call; one
 *                                          wildcard subscription per connection serves them all)
 *
 * Tokens are validated: no dots, spaces, wildcards or empties, so a peer's id can never address
 * a subject it should not.
 */
export type Subject = string & { readonly __subject: unique symbol };

const TOKEN = /^[A-Za-z0-9_-]+$/;

export function assertToken(kind: string, value: string): void {
  if (!TOKEN.test(value)) throw new ConfigError(`invalid ${kind} "${value}": use letters, digits, '-' and '_'`, { data: { kind, value } });
}

export interface RpcAddress {
  readonly component: string;
  readonly method: string;
  /** Present when the subject addresses one instance. */
  readonly id?: string;
}

export class Subjects {
  readonly prefix: string;

  constructor(prefix = 'athanor') {
    prefix.split('.').forEach((t) => assertToken('subject prefix', t));
    this.prefix = prefix;
  }

  discoveryAnnounce(): Subject { return `${this.prefix}.disc.announce` as Subject; }
  discoveryProbe(): Subject { return `${this.prefix}.disc.probe` as Subject; }

  /** Subject of a method served by every actor of `component` (load-balanced by queue group). */
  rpc(component: string, method: string): Subject {
    assertToken('component', component); assertToken('method', method);
    return `${this.prefix}.rpc.${component}.${method}` as Subject;
  }

  /** Subject of a method served by one actor instance. */
  rpcInstance(component: string, method: string, id: string): Subject {
    assertToken('id', id);
    return `${this.rpc(component, method)}.${id}` as Subject;
  }

  /** Wildcard matching every instance subject of a component's method. */
  rpcAllInstances(component: string, method: string): Subject {
    return `${this.rpc(component, method)}.*` as Subject;
  }

  /** A private inbox subject for one call (unique token supplied by the caller). */
  inbox(token: string): Subject {
    assertToken('inbox token', token);
    return `${this.prefix}.inbox.${token}` as Subject;
  }

  /** A private inbox in a connection's inbox group: `<prefix>.inbox.<group>.<token>`. */
  inboxIn(group: string, token: string): Subject {
    assertToken('inbox group', group);
    assertToken('inbox token', token);
    return `${this.prefix}.inbox.${group}.${token}` as Subject;
  }

  /** The wildcard covering every inbox of `group` (`<prefix>.inbox.<group>.*`). */
  inboxGroup(group: string): Subject {
    assertToken('inbox group', group);
    return `${this.prefix}.inbox.${group}.*` as Subject;
  }

  /** True when `subject` is a private inbox of this prefix (`<prefix>.inbox.<token>` or `<prefix>.inbox.<group>.<token>`). */
  isInbox(subject: string): boolean {
    const head = `${this.prefix}.inbox.`;
    if (!subject.startsWith(head)) return false;
    const rest = subject.slice(head.length).split('.');
    return rest.length <= 2 && rest.every((t) => TOKEN.test(t));
  }

  /** Parses an rpc subject of this prefix; undefined when it is not one. */
  parseRpc(subject: string): RpcAddress | undefined {
    const head = `${this.prefix}.rpc.`;
    if (!subject.startsWith(head)) return undefined;
    const parts = subject.slice(head.length).split('.');
    if (parts.length < 2 || parts.length > 3 || !parts.every((p) => TOKEN.test(p))) return undefined;
    const [component, method, id] = parts as [string, string, string?];
    return id === undefined ? { component, method } : { component, method, id };
  }
}
