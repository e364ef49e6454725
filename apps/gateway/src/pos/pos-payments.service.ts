import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import {
  type Merchant,
  type PosPayment,
  PosPaymentRepository,
  type PosPaymentStatus,
  PosPointOfSaleRepository,
  type PosPointOfSale,
} from '@app/persistence';
import { type PosCallContext, PosApiError, PosErrorCode, posDomainError } from '@app/pos';
import { PosSettlementService } from '@app/pos/flows';
import { PosJobProducer } from '@app/queue';
import type { IdempotencyContext } from '../idempotency/idempotency.service';
import { PosChannel } from './pos-channel';
import type { CreatePosPaymentDto, ReadyPosPaymentDto } from './pos.dto';
import { toEventView } from '../webhooks/webhook.dto';
import { toPosPaymentView, type PosPaymentView } from './pos.view';

const CANCELLABLE: PosPaymentStatus[] = [
  'PREPARED',
  'PAIRED',
  'INITIATED',
  'ISSUED_TO_USER',
  'RESERVED',
];

/** In-store payments: start (initiate, or prepare then ready), capture, cancel, read. */
@Injectable()
export class PosPaymentsService {
  constructor(
    private readonly channel: PosChannel,
    private readonly payments: PosPaymentRepository,
    private readonly pointsOfSale: PosPointOfSaleRepository,
    private readonly settlement: PosSettlementService,
    private readonly jobs: PosJobProducer,
  ) {}

  /**
   * Stores the payment with its own X-MobilePay-Idempotency-Key, then starts it at MobilePay. A
   * retry with the same Idempotency-Key after a 502 resumes with the same key at MobilePay.
   */
  async create(
    merchant: Merchant,
    dto: CreatePosPaymentDto,
    idempotency?: IdempotencyContext,
  ): Promise<PosPaymentView> {
    const ctx = this.channel.forCreation(merchant);
    if (idempotency?.resourceId) {
      const earlier = await this.payments.findForMerchant(merchant.id, idempotency.resourceId);
      if (earlier) return toPosPaymentView(await this.start(ctx, earlier));
    }
    const pos = await this.pointsOfSale.findForMerchant(merchant.id, dto.pointOfSaleId);
    if (!pos) throw new DomainError(ErrorCode.NotFound, 'point of sale not found');
    if (pos.status !== 'ACTIVE') {
      throw new DomainError(ErrorCode.InvalidPaymentState, 'the point of sale is not active');
    }
    const ready = dto.flow === 'initiate' ? dto : undefined;
    const payment = await this.payments.create(
      {
        id: randomUUID(),
        merchantId: merchant.id,
        pointOfSaleId: pos.id,
        orderId: dto.orderId,
        prepared: dto.flow === 'prepare',
        amount: ready ? BigInt(ready.amount) : null,
        currency: ready?.currency ?? null,
        plannedCaptureDelay: ready?.plannedCaptureDelay ?? null,
        merchantPaymentLabel: ready?.merchantPaymentLabel ?? null,
        restrictions: ready?.restrictions,
        idempotencyKey: randomUUID(),
      },
      idempotency?.recordId,
    );
    return toPosPaymentView(await this.start(ctx, payment, pos));
  }

  /** Prepared flow: the amount is known now; MobilePay issues the payment to the paired user. */
  async ready(merchant: Merchant, id: string, dto: ReadyPosPaymentDto): Promise<PosPaymentView> {
    const ctx = this.channel.context(merchant);
    const payment = await this.owned(merchant, id);
    if (!payment.prepared || !payment.mobilePayPaymentId) {
      throw new DomainError(
        ErrorCode.InvalidPaymentState,
        'only a prepared payment can be readied',
      );
    }
    if (payment.amount !== null) {
      if (payment.amount === BigInt(dto.amount) && payment.currency === dto.currency) {
        return toPosPaymentView(payment);
      }
      throw new DomainError(ErrorCode.InvalidPaymentState, 'the payment is ready already');
    }
    try {
      await this.channel.client.readyPayment(ctx, payment.mobilePayPaymentId, {
        amount: BigInt(dto.amount),
        currencyCode: dto.currency,
        plannedCaptureDelay: dto.plannedCaptureDelay,
        merchantPaymentLabel: dto.merchantPaymentLabel ?? null,
        restrictions: dto.restrictions ?? null,
      });
    } catch (error) {
      throw posDomainError(error);
    }
    await this.payments.markReady(merchant.id, id, {
      amount: BigInt(dto.amount),
      currency: dto.currency,
      plannedCaptureDelay: dto.plannedCaptureDelay,
      merchantPaymentLabel: dto.merchantPaymentLabel ?? null,
      restrictions: dto.restrictions,
    });
    return toPosPaymentView(await this.owned(merchant, id));
  }

  async get(merchant: Merchant, id: string): Promise<PosPaymentView> {
    return toPosPaymentView(await this.owned(merchant, id));
  }

  async list(
    merchant: Merchant,
    filter: { status?: string; orderId?: string; pointOfSaleId?: string },
  ) {
    const rows = await this.payments.list(
      merchant.id,
      { ...filter, status: filter.status as PosPaymentStatus | undefined },
      100,
    );
    return { data: rows.map(toPosPaymentView) };
  }

  /**
   * Captures a reserved payment: all of it, or less when MobilePay said partialCapturePossible.
   * The capture is recorded first; when MobilePay does not answer, the worker keeps delivering it
   * and the answer says `pendingSettlement: "CAPTURE"`.
   */
  async capture(merchant: Merchant, id: string, amount?: number): Promise<PosPaymentView> {
    const payment = await this.owned(merchant, id);
    const reserved = payment.amount ?? 0n;
    const wanted = amount === undefined ? reserved : BigInt(amount);
    if (payment.status === 'CAPTURED' && payment.capturedAmount === wanted) {
      return toPosPaymentView(payment);
    }
    if (payment.status !== 'RESERVED') {
      throw new DomainError(ErrorCode.InvalidPaymentState, `the payment is ${payment.status}`);
    }
    if (wanted > reserved) {
      throw new DomainError(
        ErrorCode.AmountExceedsAvailable,
        'the capture exceeds the reserved amount',
      );
    }
    if (wanted < reserved && payment.partialCapturePossible !== true) {
      throw new DomainError(
        ErrorCode.PartialCaptureNotPossible,
        'this payment cannot be captured partially: capture all of it or cancel it',
      );
    }
    return this.settle(merchant, payment, 'CAPTURE', wanted, ['RESERVED']);
  }

  /** Cancels an active or reserved payment (never a captured one: refund that). */
  async cancel(merchant: Merchant, id: string): Promise<PosPaymentView> {
    const payment = await this.owned(merchant, id);
    if (payment.status === 'CANCELLED_BY_CLIENT') return toPosPaymentView(payment);
    if (!CANCELLABLE.includes(payment.status)) {
      throw new DomainError(ErrorCode.InvalidPaymentState, `the payment is ${payment.status}`);
    }
    return this.settle(merchant, payment, 'CANCEL', null, CANCELLABLE);
  }

  async events(merchant: Merchant, paymentId?: string) {
    const events = await this.payments.listEvents(merchant.id, paymentId, 100);
    return { data: events.map(toEventView) };
  }

  private async settle(
    merchant: Merchant,
    payment: PosPayment,
    kind: 'CAPTURE' | 'CANCEL',
    amount: bigint | null,
    from: PosPaymentStatus[],
  ): Promise<PosPaymentView> {
    const ctx = this.channel.context(merchant);
    if (!(await this.payments.requestSettlement(merchant.id, payment.id, kind, amount, from))) {
      throw new DomainError(
        ErrorCode.InvalidPaymentState,
        'another capture or cancel of this payment is in progress',
      );
    }
    const recorded = await this.owned(merchant, payment.id);
    const outcome = await this.settlement.settlePayment(recorded, ctx);
    if (outcome.kind === 'pending') await this.jobs.trySettlePayment(payment.id, 1_000);
    if (outcome.kind === 'refused') throw posDomainError(outcome.error);
    return toPosPaymentView(await this.owned(merchant, payment.id));
  }

  private async start(
    ctx: PosCallContext,
    payment: PosPayment,
    knownPos?: PosPointOfSale,
  ): Promise<PosPayment> {
    if (payment.status !== 'CREATED') return payment;
    const pos =
      knownPos ??
      (await this.pointsOfSale.findForMerchant(payment.merchantId, payment.pointOfSaleId));
    if (!pos?.mobilePayPosId)
      throw new DomainError(ErrorCode.InvalidPaymentState, 'point of sale is not active');
    let mobilePayPaymentId: string;
    try {
      mobilePayPaymentId = payment.prepared
        ? await this.channel.client.preparePayment(
            ctx,
            { posId: pos.mobilePayPosId, orderId: payment.orderId },
            payment.idempotencyKey,
          )
        : await this.channel.client.initiatePayment(
            ctx,
            {
              posId: pos.mobilePayPosId,
              orderId: payment.orderId,
              amount: payment.amount ?? 0n,
              currencyCode: payment.currency as 'DKK' | 'EUR',
              plannedCaptureDelay: (payment.plannedCaptureDelay ?? 'None') as 'None',
              merchantPaymentLabel: payment.merchantPaymentLabel,
              restrictions: payment.restrictions as { debitCardDisallowed?: boolean } | null,
            },
            payment.idempotencyKey,
          );
    } catch (error) {
      if (!(error instanceof PosApiError) || error.transient) throw posDomainError(error);
      await this.payments.markFailed(payment.id, error.message);
      if (error.is(PosErrorCode.PaymentAlreadyActive))
        throw await this.activeElsewhere(ctx, pos, error);
      throw posDomainError(error);
    }
    const started = await this.payments.markStarted(
      payment.id,
      mobilePayPaymentId,
      payment.prepared ? 'PREPARED' : 'INITIATED',
    );
    // The first poll at once; from then on MobilePay's pollDelayInMs sets the pace.
    await this.jobs.tryPollPayment(payment.id, 0, 0);
    return started;
  }

  /**
   * 1301 (docs: "Payment in progress error handling"): tell the merchant which payment blocks the
   * register — ours by id when we know it — so it can be cancelled and the new one started.
   */
  private async activeElsewhere(ctx: PosCallContext, pos: PosPointOfSale, error: PosApiError) {
    const active = await this.channel.client
      .queryPayments(ctx, { posId: pos.mobilePayPosId ?? undefined })
      .catch(() => [] as string[]);
    const ours = await Promise.all(active.map((id) => this.payments.findByMobilePayId(id)));
    return new DomainError(
      ErrorCode.PosPaymentActive,
      'another payment is active on this point of sale; cancel it first',
      {
        mobilePayCode: error.code,
        activePaymentIds: ours.flatMap((p) =>
          p && !['RESERVED'].includes(p.status) ? [p.id] : [],
        ),
        activeMobilePayPaymentIds: active,
      },
    );
  }

  private async owned(merchant: Merchant, id: string) {
    const payment = await this.payments.findForMerchant(merchant.id, id);
    if (!payment) throw new DomainError(ErrorCode.NotFound, 'payment not found');
    return payment;
  }
}
