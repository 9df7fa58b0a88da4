import {
  playbookFor,
  StaticPlaybookCatalog,
  type PlaybookCatalog,
} from '../../application/playbook-catalog.js';
import {
  checkApprovalCriterion,
  DomainError,
  domainError,
  isWorkingStage,
  type ApprovalCriterion,
  type ExitCriterion,
  type StartedJourney,
} from '../../domain/index.js';
import { loadDefaultPlaybook } from '../../playbook/index.js';

/**
 * The playbooks readiness and sign-off read criteria from: the server's catalog when it is
 * given one (`ApiServerOptions.playbooks`), else the shipped default, loaded on first use. A
 * journey on a playbook the API does not know is answered 409 PLAYBOOK_NOT_LOADED.
 */
export function playbookLookup(given?: PlaybookCatalog): () => Promise<PlaybookCatalog> {
  let loading: Promise<PlaybookCatalog> | undefined;
  return () => {
    if (given !== undefined) {
      return Promise.resolve(given);
    }
    loading ??= loadDefaultPlaybook().then((playbook) => new StaticPlaybookCatalog([playbook]));
    return loading;
  };
}

/** The exit criteria of the journey's current stage; none outside a working stage. */
export function currentCriteria(
  catalog: PlaybookCatalog,
  journey: StartedJourney,
): readonly ExitCriterion[] {
  return isWorkingStage(journey.stage)
    ? playbookFor(catalog, journey.playbook).stages[journey.stage].exitCriteria
    : [];
}

/** The approval criterion a sign-off link may be issued for, or the domain's refusal. */
export function signOffCriterion(
  catalog: PlaybookCatalog,
  journey: StartedJourney,
  criterionId: string,
): ApprovalCriterion {
  const stage = journey.stage;
  if (!isWorkingStage(stage)) {
    throw domainError(
      stage === 'rollback' ? 'ROLLBACK_IN_PROGRESS' : 'JOURNEY_TERMINAL',
      `Journey ${journey.journeyId} is ${stage}: it has no criterion to sign off now.`,
      { journeyId: journey.journeyId, stage },
    );
  }
  const criterion = currentCriteria(catalog, journey).find((c) => c.id === criterionId);
  // A link decides as the client: the same rule an approval through the API meets.
  const checked = checkApprovalCriterion(stage, criterionId, criterion, 'client');
  if (checked instanceof DomainError) {
    throw checked;
  }
  return checked;
}
