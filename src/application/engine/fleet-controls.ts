import {
  domainError,
  isWorkingStage,
  type ActiveFreeze,
  type Instant,
  type JsonValue,
  type PromotionControls,
  type StartedJourney,
} from '../../domain/index.js';
import {
  activeFreezes,
  freezeDocumentOf,
  freezeSchema,
  resolveFreezeWindow,
  type FreezeWindow,
} from '../../playbook/index.js';
import type { ControlChange, PromotionStopRecord } from '../ports.js';
import type { EngineContext } from './context.js';
import type { Requester } from './orchestrator.js';
import { globalWindow, promotionControls } from './promotion-controls.js';

/** A fleet-wide freeze as the API shows it. */
export interface GlobalFreezeView {
  readonly freeze: Record<string, string>;
  readonly window: FreezeWindow;
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
 * process on it sees them at its next promotion attempt; each change is kept for audit.
 */
export class FleetControls {
  constructor(private readonly ctx: EngineContext) {}

  async view(): Promise<FleetControlsView> {
    const [stop, freezes, changes] = await Promise.all([
      this.ctx.store.findPromotionStop(),
      this.ctx.store.listGlobalFreezes(),
      this.ctx.store.listControlChanges(50),
    ]);
    const now = this.ctx.clock.now();
    return {
      promotions: { paused: stop !== null, stop },
      freezes: freezes.map((record) => {
        const window = globalWindow(record);
        return {
          freeze: freezeDocumentOf(window),
          window,
          createdBy: record.createdBy,
          reason: record.reason,
          createdAt: record.createdAt,
          activeNow: activeFreezes([{ window, scope: 'global' }], now)[0] ?? null,
        };
      }),
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

  /** Adds a fleet-wide freeze window, in the playbook's `freezes:` format. */
  async addFreeze(
    request: { readonly freeze: JsonValue; readonly reason?: string },
    by: Requester,
  ): Promise<GlobalFreezeView> {
    const parsed = freezeSchema.safeParse(request.freeze);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }));
      throw domainError(
        'FREEZE_INVALID',
        `The freeze window is not valid: ${problems.map((p) => `${p.path || '(freeze)'}: ${p.message}`).join('; ')}.`,
        { problems },
      );
    }
    const window = resolveFreezeWindow(parsed.data);
    const added = await this.ctx.store.addGlobalFreeze({
      freezeId: window.id,
      definition: window as unknown as JsonValue,
      createdBy: by.actor,
      reason: request.reason ?? null,
      createdAt: this.ctx.clock.now(),
    });
    if (!added) {
      throw domainError('FREEZE_EXISTS', `A global freeze "${window.id}" exists already.`, {
        freezeId: window.id,
      });
    }
    const view = (await this.view()).freezes.find((f) => f.window.id === window.id);
    if (view === undefined) {
      throw domainError(
        'FREEZE_NOT_FOUND',
        `The global freeze "${window.id}" was removed meanwhile.`,
      );
    }
    return view;
  }

  async removeFreeze(
    freezeId: string,
    request: { readonly reason?: string },
    by: Requester,
  ): Promise<void> {
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
  }
}
