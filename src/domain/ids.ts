/**
 * Branded identifiers. A `JourneyId` and a `WorkId` are both strings on the wire, but the type
 * system keeps them apart so one is never passed where the other is meant.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type JourneyId = Brand<string, 'JourneyId'>;
export type ClientId = Brand<string, 'ClientId'>;
export type WorkId = Brand<string, 'WorkId'>;
export type TaskId = Brand<string, 'TaskId'>;
export type CriterionId = Brand<string, 'CriterionId'>;
export type AgentId = Brand<string, 'AgentId'>;

/**
 * Ids that people type (client ids, task ids in playbooks) use a conservative alphabet so they
 * are safe in URLs, CLI arguments, NATS subjects and log lines.
 */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isSlug(value: string): boolean {
  return SLUG.test(value);
}

export const SLUG_RULE =
  'must start with a letter or digit and contain only letters, digits, ".", "_", ":" or "-" (at most 128 characters)';

/** Casts without checking: for values that were validated at the boundary (schema, store). */
export const asJourneyId = (value: string): JourneyId => value as JourneyId;
export const asClientId = (value: string): ClientId => value as ClientId;
export const asWorkId = (value: string): WorkId => value as WorkId;
export const asTaskId = (value: string): TaskId => value as TaskId;
export const asCriterionId = (value: string): CriterionId => value as CriterionId;
export const asAgentId = (value: string): AgentId => value as AgentId;
