import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { duration, money, statusClass, time } from '../format';
import type { PaymentDetail } from '../types';
import { Timeline } from './timeline';

/** One payment: amounts, attempts on their timeline, reports to MobilePay, events and deliveries. */
export function PaymentPage({ id }: { id: string }) {
  const [payment, setPayment] = useState<PaymentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    api<PaymentDetail>('GET', `/v1/admin/payments/${id}`)
      .then(setPayment)
      .catch((e: ApiError) => setError(e.message));
  }, [id]);
  useEffect(load, [load]);

  const redeliver = async (eventId: string) => {
    setNotice(null);
    try {
      const result = await api<{ data: unknown[] }>(
        'POST',
        `/v1/admin/events/${eventId}/redeliver`,
      );
      setNotice(`Redelivery queued: ${result.data.length} delivery(ies).`);
      // The worker sends it within a second or two; show the outcome as it lands.
      for (const wait of [300, 1000, 2500, 5000]) setTimeout(load, wait);
      load();
    } catch (e) {
      setNotice(`Redelivery refused: ${(e as ApiError).message}`);
    }
  };

  if (error) return <p class="error">{error}</p>;
  if (!payment) return <p>Loading…</p>;
  const c = payment.currency;
  return (
    <section>
      <p>
        <a href="#/payments">← Payments</a>
      </p>
      <h1>
        Order {payment.orderId}{' '}
        <span class={`badge ${statusClass(payment.status)}`}>{payment.status}</span>
      </h1>
      <dl class="facts">
        <dt>Merchant</dt>
        <dd>{payment.merchant.name}</dd>
        <dt>Payment id</dt>
        <dd>{payment.id}</dd>
        <dt>MobilePay payment id</dt>
        <dd>{payment.mobilePayPaymentId ?? '—'}</dd>
        <dt>PSP reference</dt>
        <dd>{payment.pspReferenceId}</dd>
        <dt>Created / expires</dt>
        <dd>
          {time(payment.createdAt)} / {time(payment.expiresAt)}
        </dd>
      </dl>
      <div class="amounts">
        {(
          [
            ['Amount', payment.amount],
            ['Authorized', payment.amounts.authorized],
            ['Captured', payment.amounts.captured],
            ['Refunded', payment.amounts.refunded],
            ['Cancelled', payment.amounts.cancelled],
          ] as const
        ).map(([label, value]) => (
          <div key={label} class="amount">
            <span>{label}</span>
            <strong>{money(value, c)}</strong>
          </div>
        ))}
      </div>

      <h2>Authorization attempts</h2>
      {payment.attempts.length === 0 && <p>No card callback yet.</p>}
      {payment.attempts.map((a) => (
        <article key={a.id} class="attempt" data-attempt-id={a.id}>
          <h3>
            {a.cardType} {a.maskedCardNumber ?? (a.tokenMethod ? `token (${a.tokenMethod})` : '')}{' '}
            <span class={`badge ${statusClass(a.status)}`}>{a.status}</span>
          </h3>
          <dl class="facts">
            <dt>Attempt id</dt>
            <dd>{a.id}</dd>
            <dt>Acquirer</dt>
            <dd>
              {a.acquirer ?? '—'} {a.acquirerReference ? `(ref ${a.acquirerReference})` : ''}
            </dd>
            <dt>Answer / reason code</dt>
            <dd>
              {a.reasonCode !== null
                ? `${a.reasonCode} ${a.reasonMessage ?? ''}`
                : ['SUCCEEDED', 'AUTHORIZED'].includes(a.status)
                  ? 'approved'
                  : 'no answer yet'}
            </dd>
            <dt>Callback → PATCH</dt>
            <dd>
              {a.patchedAt
                ? duration(Date.parse(a.patchedAt) - Date.parse(a.callbackReceivedAt))
                : 'not patched yet'}{' '}
              (deadline {time(a.deadlineAt)})
            </dd>
            {a.reversalRequiredAt && (
              <>
                <dt>Reversal</dt>
                <dd>
                  required {time(a.reversalRequiredAt)}, done {time(a.reversedAt)}
                </dd>
              </>
            )}
          </dl>
          <Timeline attempt={a} />
        </article>
      ))}

      {payment.operations.length > 0 && (
        <>
          <h2>Captures, cancels, refunds</h2>
          <table>
            <thead>
              <tr>
                <th>Kind</th>
                <th>Amount</th>
                <th>Status</th>
                <th>Acquirer</th>
                <th>Created</th>
                <th>Completed</th>
              </tr>
            </thead>
            <tbody>
              {payment.operations.map((o) => (
                <tr key={o.id}>
                  <td>{o.kind}</td>
                  <td class="num">{money(o.amount, c)}</td>
                  <td>
                    <span class={`badge ${statusClass(o.status)}`}>{o.status}</span>{' '}
                    {o.failureReason ?? ''}
                  </td>
                  <td>{o.acquirer}</td>
                  <td>{time(o.createdAt)}</td>
                  <td>{time(o.completedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2>Reports to MobilePay</h2>
      <table class="reports">
        <thead>
          <tr>
            <th>Kind</th>
            <th>State</th>
            <th>Tries</th>
            <th>Queued</th>
            <th>Acknowledged</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {payment.reports.length === 0 && (
            <tr>
              <td colSpan={6}>None.</td>
            </tr>
          )}
          {payment.reports.map((r) => (
            <tr key={r.id}>
              <td>{r.kind}</td>
              <td>
                <span class={`badge ${statusClass(r.status)}`}>{r.status}</span>
              </td>
              <td class="num">{r.tries}</td>
              <td>{time(r.createdAt)}</td>
              <td>{time(r.sentAt)}</td>
              <td>{r.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Events and webhook deliveries</h2>
      {notice && <p class="notice">{notice}</p>}
      {payment.events.length === 0 && <p>No events yet.</p>}
      {payment.events.map((e) => (
        <article key={e.id} class="event" data-event-type={e.type}>
          <h3>
            {e.type} <small>{time(e.createdAt)}</small>{' '}
            <button onClick={() => void redeliver(e.id)}>Redeliver</button>
          </h3>
          {e.deliveries.length === 0 ? (
            <p>No webhook endpoint{e.dispatchedAt ? '' : ' yet (not dispatched)'}.</p>
          ) : (
            <table class="deliveries">
              <thead>
                <tr>
                  <th>Endpoint</th>
                  <th>State</th>
                  <th>Tries</th>
                  <th>Last answer</th>
                  <th>Created</th>
                  <th>Delivered</th>
                </tr>
              </thead>
              <tbody>
                {e.deliveries.map((d) => (
                  <tr key={d.id} class="delivery" data-manual={String(d.manual)}>
                    <td>
                      {d.endpointUrl} {d.manual && <span class="badge pending">manual</span>}
                    </td>
                    <td>
                      <span class={`badge ${statusClass(d.status)}`}>{d.status}</span>
                    </td>
                    <td class="num">{d.attempts}</td>
                    <td>
                      {d.lastStatusCode ?? d.lastError ?? '—'}
                      {d.log.length > 0 && ` (${d.log[d.log.length - 1].latencyMs} ms)`}
                    </td>
                    <td>{time(d.createdAt)}</td>
                    <td>{time(d.deliveredAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
      ))}
    </section>
  );
}
