import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { field, money, statusClass, time } from '../format';
import type { MerchantRow, PaymentRow } from '../types';

const STATUSES = [
  'CREATED',
  'INITIATED',
  'AUTHORIZED',
  'FAILED',
  'EXPIRED',
  'CANCELLED',
  'INVALIDATED',
];
const FIELDS = ['merchantId', 'orderId', 'mobilePayPaymentId', 'attemptId', 'status', 'from', 'to'];

/** Search by merchant, order id, MobilePay payment id, attempt id, status and date; paginated. */
export function PaymentsPage({ query }: { query: URLSearchParams }) {
  const [merchants, setMerchants] = useState<MerchantRow[]>([]);
  const [rows, setRows] = useState<PaymentRow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = query.get('cursor');

  useEffect(() => {
    void api<{ data: MerchantRow[] }>('GET', '/v1/admin/merchants').then((r) =>
      setMerchants(r.data),
    );
  }, []);

  useEffect(() => {
    const params = new URLSearchParams();
    for (const field of ['merchantId', 'orderId', 'mobilePayPaymentId', 'attemptId', 'status']) {
      const value = query.get(field)?.trim();
      if (value) params.set(field, value);
    }
    const from = query.get('from');
    const to = query.get('to');
    if (from) params.set('createdFrom', new Date(`${from}T00:00:00Z`).toISOString());
    if (to)
      params.set('createdTo', new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString());
    if (cursor) params.set('cursor', cursor);
    setRows(null);
    setError(null);
    api<{ data: PaymentRow[]; nextCursor: string | null }>('GET', `/v1/admin/payments?${params}`)
      .then((r) => {
        setRows(r.data);
        setNext(r.nextCursor);
      })
      .catch((e: ApiError) => setError(e.message));
  }, [query.toString()]);

  const search = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const params = new URLSearchParams();
    for (const name of FIELDS) {
      const value = field(form, name);
      if (value) params.set(name, value);
    }
    window.location.hash = `/payments?${params}`;
  };
  const page = (nextCursor: string | null) => {
    const params = new URLSearchParams(query);
    if (nextCursor) params.set('cursor', nextCursor);
    else params.delete('cursor');
    window.location.hash = `/payments?${params}`;
  };

  return (
    <section>
      <h1>Payments</h1>
      <form class="filters" onSubmit={search}>
        <label>
          Merchant
          <select name="merchantId" value={query.get('merchantId') ?? ''}>
            <option value="">all</option>
            {merchants.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order id
          <input name="orderId" value={query.get('orderId') ?? ''} />
        </label>
        <label>
          MobilePay payment id
          <input name="mobilePayPaymentId" value={query.get('mobilePayPaymentId') ?? ''} />
        </label>
        <label>
          Attempt id
          <input name="attemptId" value={query.get('attemptId') ?? ''} />
        </label>
        <label>
          Status
          <select name="status" value={query.get('status') ?? ''}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" name="from" value={query.get('from') ?? ''} />
        </label>
        <label>
          To
          <input type="date" name="to" value={query.get('to') ?? ''} />
        </label>
        <button type="submit">Search</button>
      </form>
      {error && <p class="error">{error}</p>}
      {rows === null && !error && <p>Loading…</p>}
      {rows && (
        <table>
          <thead>
            <tr>
              <th>Created (UTC)</th>
              <th>Merchant</th>
              <th>Order</th>
              <th>Amount</th>
              <th>Status</th>
              <th>Last attempt</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={6}>No payment matches.</td>
              </tr>
            )}
            {rows.map((p) => (
              <tr key={p.id} data-payment-id={p.id}>
                <td>
                  <a href={`#/payments/${p.id}`}>{time(p.createdAt)}</a>
                </td>
                <td>{p.merchant.name}</td>
                <td>
                  <a href={`#/payments/${p.id}`}>{p.orderId}</a>
                </td>
                <td class="num">{money(p.amount, p.currency)}</td>
                <td>
                  <span class={`badge ${statusClass(p.status)}`}>{p.status}</span>
                </td>
                <td>
                  {p.lastAttempt
                    ? `${p.lastAttempt.cardType} ${p.lastAttempt.maskedCardNumber ?? ''} · ${p.lastAttempt.status}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="pager">
        {cursor && <button onClick={() => page(null)}>First page</button>}
        {next && <button onClick={() => page(next)}>Next page</button>}
      </div>
    </section>
  );
}
