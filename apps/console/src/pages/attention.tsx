import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { time } from '../format';
import type { AttentionItem } from '../types';

const SECTIONS = [
  [
    'unknown_outcome',
    'Unknown outcomes',
    'Settled by the worker (inquiry, watchdog, janitor); never re-authorize by hand.',
  ],
  [
    'pending_reversal',
    'Pending reversals',
    'Authorizations that must not stand; the reversal is safe to run again.',
  ],
  [
    'exhausted_report',
    'Reports that exhausted their retries',
    'Captures, cancels and refunds are delivered again under the same identifier.',
  ],
  [
    'failing_webhook_endpoint',
    'Failing webhook endpoints',
    'Retry the waiting deliveries once the merchant has fixed the endpoint.',
  ],
] as const;

const ACTION_LABELS = {
  run_reversal: 'Run reversal now',
  retry_report: 'Deliver again',
  retry_webhooks: 'Retry now',
} as const;

/** What needs a human, with the action that resolves each item where one is safe. */
export function AttentionPage() {
  const [items, setItems] = useState<AttentionItem[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    void api<{ data: AttentionItem[] }>('GET', '/v1/admin/attention').then((r) => setItems(r.data));
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, 10_000);
    return () => clearInterval(timer);
  }, [load]);

  const act = async (item: AttentionItem) => {
    if (!item.action) return;
    try {
      const result = await api<{ queued: number }>(
        'POST',
        `/v1/admin/attention/${item.action}/${item.id}`,
      );
      setNotice(`${ACTION_LABELS[item.action]}: ${result.queued} job(s) queued.`);
      for (const wait of [500, 1500, 3000, 6000]) setTimeout(load, wait);
    } catch (e) {
      setNotice(`Refused: ${(e as ApiError).message}`);
      load();
    }
  };

  if (!items) return <p>Loading…</p>;
  return (
    <section>
      <h1>Needs attention</h1>
      {notice && <p class="notice">{notice}</p>}
      {SECTIONS.map(([kind, title, hint]) => {
        const list = items.filter((i) => i.kind === kind);
        return (
          <div key={kind} class="attention-section" data-kind={kind}>
            <h2>
              {title} <span class="count">{list.length}</span>
            </h2>
            <p class="hint">{hint}</p>
            {list.length === 0 ? (
              <p class="all-clear">Nothing here.</p>
            ) : (
              <table>
                <tbody>
                  {list.map((item) => (
                    <tr key={item.id} class="attention-item" data-id={item.id}>
                      <td>
                        <strong>{item.title}</strong>
                        <br />
                        <small>{item.detail}</small>
                      </td>
                      <td>since {time(item.since)}</td>
                      <td>
                        {item.paymentId && <a href={`#/payments/${item.paymentId}`}>payment</a>}
                      </td>
                      <td>
                        {item.action ? (
                          <button onClick={() => void act(item)}>
                            {ACTION_LABELS[item.action]}
                          </button>
                        ) : (
                          <small>no manual action</small>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        );
      })}
    </section>
  );
}
