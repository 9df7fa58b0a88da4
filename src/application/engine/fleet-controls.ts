import {
  domainError,
  isWorkingStage,
  type ActiveFreeze,
  type Instant,
  type JsonValue,
  type PromotionControls,
  type StartedJourney,
} from '../../domain/index.js';
import type { FreezeWindow } from '../../playbook/index.js';
import type { ControlChange, GlobalFreezeRecord, PromotionStopRecord } from '../ports.js';
import type { EngineContext } from './context.js';
import {
  checkFreeze,
  checkGlobalFreezes,
  describeFreezeProblems,
  type FreezeIssue,
} from './global-freezes.js';
import type { Requester } from './orchestrator.js';
import { promotionControls } from './promotion-controls.js';

/** A fleet-wide freeze as the API shows it. */
export interface GlobalFreezeView {
  readonly freezeId: string;
  /** The freeze as written when it was added (its text values; all of them when valid). */
  readonly freeze: Readonly<Record<string, string>>;
  /** `invalid`: the stored freeze no longer passes the playbook's rule (held in force). */
  readonly status: 'valid' | 'invalid';
  /** What is wrong with it; empty when valid. */
  readonly problems: readonly FreezeIssue[];
  /** The window it resolves to; null when invalid. */
  readonly window: FreezeWindow | null;
  readonly createdBy: string;
  readonly reason: string | null;
  readonly createdAt: string;
  /** The stretch in force now, else null. */
  readonly activeNow: ActiveFreeze | null;
}

export interface FleetControlsView {
  readonly promotions: { readonly paused: boolean; readonly stop: PromotionStopRecord | null };
  readonly freezes: readonly GlobalFreezeView[];
  /** The latest changes, newest first (who, when, why). */
  readonly changes: readonly ControlChange[];
}

/**
 * The fleet's controls (docs/controls.md): stop the line (every promotion of every journey
 * refused until resumed) and fleet-wide freeze windows. Both live in the database, so every
 * process on it sees them at its next promotion attempt; each change is kept for audit. Every
 * change answers the controls as they are after it, read once.
 */
export class FleetControls {
  constructor(private readonly ctx: EngineContext) {}

  async view(): Promise<FleetControlsView> {
    const [stop, freezes, changes] = await Promise.all([
      this.ctx.store.findPromotionStop(),
      this.ctx.store.listGlobalFreezes(),
      this.ctx.store.listControlChanges(50),
    ]);
    return {
      promotions: { paused: stop !== null, stop },
      freezes: checkGlobalFreezes(freezes, this.ctx.clock.now(), this.ctx.log).map(
        ({ record, checked, activeNow }) => ({
          freezeId: record.freezeId,
          freeze: writtenForm(record),
          status: checked.status,
          problems: checked.status === 'valid' ? [] : checked.problems,
          window: checked.status === 'valid' ? checked.window : null,
          createdBy: record.createdBy,
          reason: record.reason,
          createdAt: record.createdAt,
          activeNow,
        }),
      ),
      changes,
    };
  }

  /** What would hold a promotion of `journey` back at `at`: pause aside (it is in the journey). */
  controlsFor(journey: StartedJourney, at: Instant): Promise<PromotionControls> | null {
    return isWorkingStage(journey.stage)
      ? promotionControls(this.ctx, journey, journey.stage, at)
      : null;
  }

  /** Stop the line; refused when promotions are stopped already (naming who stopped them). */
  async pausePromotions(
    request: { readonly reason: string },
    by: Requester,
  ): Promise<FleetControlsView> {
    const stopped = await this.ctx.store.stopPromotions({
      stoppedBy: by.actor,
      reason: request.reason,
      at: this.ctx.clock.now(),
    });
    if (!stopped) {
      const current = await this.ctx.store.findPromotionStop();
      throw domainError(
        'PROMOTIONS_ALREADY_PAUSED',
        `Promotions are already stopped${current === null ? '' : ` by ${current.stoppedBy} since ${current.at} (${current.reason})`}.`,
        { ...current },
      );
    }
    this.ctx.log.warn('promotions stopped fleet-wide', { by: by.actor, reason: request.reason });
    return this.view();
  }

  async resumePromotions(
    request: { readonly reason?: string },
    by: Requester,
  ): Promise<FleetControlsView> {
    const lifted = await this.ctx.store.resumePromotions({
      actor: by.actor,
      reason: request.reason ?? null,
      at: this.ctx.clock.now(),
    });
    if (lifted === null) {
      throw domainError('PROMOTIONS_NOT_PAUSED', 'Promotions are not stopped.');
    }
    this.ctx.log.info('promotions resumed fleet-wide', { by: by.actor });
    return this.view();
  }

  /**
   * Adds a fleet-wide freeze window, written as a playbook `freezes:` entry and checked by the
   * same rule (422 FREEZE_INVALID lists every problem); it is stored as written.
   */
  async addFreeze(
    request: { readonly freeze: JsonValue; readonly reason?: string },
    by: Requester,
  ): Promise<FleetControlsView> {
    const checked = checkFreeze(request.freeze);
    if (checked.status === 'invalid') {
      throw domainError(
        'FREEZE_INVALID',
        `The freeze window is not valid: ${describeFreezeProblems(checked.problems)}.`,
        { problems: checked.problems },
      );
    }
    const freezeId = checked.window.id;
    const added = await this.ctx.store.addGlobalFreeze({
      freezeId,
      definition: request.freeze,
      createdBy: by.actor,
      reason: request.reason ?? null,
      createdAt: this.ctx.clock.now(),
    });
    if (!added) {
      throw domainError('FREEZE_EXISTS', `A global freeze "${freezeId}" exists already.`, {
        freezeId,
      });
    }
    return this.view();
  }

  async removeFreeze(
    freezeId: string,
    request: { readonly reason?: string },
    by: Requester,
  ): Promise<FleetControlsView> {
    const removed = await this.ctx.store.removeGlobalFreeze(freezeId, {
      actor: by.actor,
      reason: request.reason ?? null,
      at: this.ctx.clock.now(),
    });
    if (removed === null) {
      throw domainError('FREEZE_NOT_FOUND', `There is no global freeze "${freezeId}".`, {
        freezeId,
      });
    }
    return this.view();
  }
}

/** The stored document's text values (a valid document has no other kind); its id first. */
function writtenForm(record: GlobalFreezeRecord): Record<string, string> {
  const document = record.definition;
  const entries =
    typeof document === 'object' && document !== null && !Array.isArray(document)
      ? Object.entries(document).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        )
      : [];
  return { id: record.freezeId, ...Object.fromEntries(entries) };
}
