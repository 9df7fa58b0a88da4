/**
 * journey-orchestrator as a library: the domain (deciders, DAG rules, exit criteria) and the
 * playbook loader. Named exports only.
 */
export * from './domain/index.js';
export * from './playbook/index.js';
