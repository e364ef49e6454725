import { Injectable } from '@nestjs/common';
import type { Attempt, Payment } from './payment.model';

@Injectable()
export class PaymentsStore {
  private readonly payments = new Map<string, Payment>();
  private readonly byPspReference = new Map<string, string>();
  private readonly pspReferencesByOrder = new Map<string, Set<string>>();
  private readonly attempts = new Map<string, Attempt>();

  get(paymentId: string): Payment | undefined {
    return this.payments.get(paymentId);
  }

  findByPspReference(merchantId: string, pspReferenceId: string): Payment | undefined {
    const paymentId = this.byPspReference.get(`${merchantId}|${pspReferenceId}`);
    return paymentId ? this.payments.get(paymentId) : undefined;
  }

  /** Distinct pspReferenceIds initiated for one merchant order (request-fishing guard). */
  initiationsOf(merchantId: string, merchantOrderId: string): number {
    return this.pspReferencesByOrder.get(`${merchantId}|${merchantOrderId}`)?.size ?? 0;
  }

  add(payment: Payment): void {
    this.payments.set(payment.paymentId, payment);
    this.byPspReference.set(`${payment.merchantId}|${payment.pspReferenceId}`, payment.paymentId);
    const orderKey = `${payment.merchantId}|${payment.merchantOrderId}`;
    const references = this.pspReferencesByOrder.get(orderKey) ?? new Set<string>();
    references.add(payment.pspReferenceId);
    this.pspReferencesByOrder.set(orderKey, references);
  }

  addAttempt(payment: Payment, attempt: Attempt): void {
    payment.attempts.push(attempt);
    this.attempts.set(attempt.authorizationAttemptId, attempt);
  }

  getAttempt(authorizationAttemptId: string): Attempt | undefined {
    return this.attempts.get(authorizationAttemptId);
  }

  attemptsWhere(predicate: (attempt: Attempt) => boolean): Attempt[] {
    return [...this.attempts.values()].filter(predicate);
  }

  clear(): void {
    this.payments.clear();
    this.byPspReference.clear();
    this.pspReferencesByOrder.clear();
    this.attempts.clear();
  }
}
