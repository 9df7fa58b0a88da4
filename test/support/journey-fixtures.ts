import type {
  ApprovalCriterion,
  CriterionResult,
  ExitCriteriaEvaluation,
  Outcome,
} from '../../src/domain/exit-criteria/criterion.js';
import { asClientId, asCriterionId, asJourneyId, asWorkId } from '../../src/domain/ids.js';
import type { JourneyEvent, StagePromoted } from '../../src/domain/journey/events.js';
import type { WorkingStage } from '../../src/domain/journey/stage.js';

/** Builders for journey tests: one journey, `acme`, with readable work ids per stage. */
export const journeyId = asJourneyId('j-1');
export const clientId = asClientId('acme');
export const playbook = { name: 'default', version: 1 };
export const T0 = '2026-01-15T09:00:00.000Z';
export const later = (minutes: number): string =>
  new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const setupWork = (stage: WorkingStage, visit = 1) =>
  asWorkId(`j-1.${stage}.setup.${visit}`);
export const rollbackWork = (stage: WorkingStage, visit = 1) =>
  asWorkId(`j-1.${stage}.rollback.${visit}`);

export function result(id: string, outcome: Outcome, reason = `${id} ${outcome}`): CriterionResult {
  return {
    criterionId: asCriterionId(id),
    description: id,
    source: 'agent',
    outcome,
    reason,
    evaluatedAt: T0,
  };
}

export function evaluation(...outcomes: [string, Outcome][]): ExitCriteriaEvaluation {
  const results = outcomes.map(([id, outcome]) => result(id, outcome));
  return { evaluatedAt: T0, results, allPassed: results.every((r) => r.outcome === 'passed') };
}

export const passing = evaluation(['search_quality', 'passed'], ['demo_approved', 'passed']);
export const failing = evaluation(['search_quality', 'failed'], ['demo_approved', 'passed']);

export const demoApproval: ApprovalCriterion = {
  id: asCriterionId('demo_approved'),
  description: 'Demo approved by client',
  kind: 'approval',
  policy: { roles: ['client', 'admin'], minApprovals: 1, requiredApprovers: [] },
};

export const started: JourneyEvent = {
  type: 'JourneyStarted',
  journeyId,
  clientId,
  playbook,
  stage: 'sandbox',
  setupWorkId: setupWork('sandbox'),
  startedBy: 'admin',
  at: T0,
};

export const setupCompleted = (stage: WorkingStage, visit = 1): JourneyEvent => ({
  type: 'StageSetupCompleted',
  stage,
  workId: setupWork(stage, visit),
  at: T0,
});

export const promoted = (
  fromStage: WorkingStage,
  toStage: WorkingStage,
  visit = 1,
): StagePromoted => ({
  type: 'StagePromoted',
  fromStage,
  toStage,
  exitCriteriaResults: passing.results,
  setupWorkId: setupWork(toStage, visit),
  promotedBy: 'system',
  reason: `${fromStage} exit criteria passed`,
  at: T0,
});

export const rollbackInitiated = (
  fromStage: WorkingStage,
  toStage: WorkingStage,
  visit = 1,
): JourneyEvent => ({
  type: 'RollbackInitiated',
  fromStage,
  toStage,
  reason: 'search quality dropped',
  initiatedBy: 'alice',
  rollbackWorkId: rollbackWork(fromStage, visit),
  at: T0,
});

/** A journey whose sandbox setup completed: ready to be judged on sandbox exit criteria. */
export const inSandboxReady: JourneyEvent[] = [started, setupCompleted('sandbox')];
/** A journey in pilot with the pilot setup completed. */
export const inPilotReady: JourneyEvent[] = [
  ...inSandboxReady,
  promoted('sandbox', 'pilot'),
  setupCompleted('pilot'),
];
/** A journey in production with the production setup completed. */
export const inProductionReady: JourneyEvent[] = [
  ...inPilotReady,
  promoted('pilot', 'production'),
  setupCompleted('production'),
];
