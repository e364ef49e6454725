import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { field, statusClass, time } from '../format';
import type { MerchantRow } from '../types';

/** Merchants: onboarding at MobilePay, routing, API keys (create: the secret is shown once; revoke). */
export function MerchantsPage() {
  const [merchants, setMerchants] = useState<MerchantRow[] | null>(null);
  const [secret, setSecret] = useState<{ merchant: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void api<{ data: MerchantRow[] }>('GET', '/v1/admin/merchants').then((r) =>
      setMerchants(r.data),
    );
  }, []);
  useEffect(load, [load]);

  const create = async (merchant: MerchantRow, event: Event) => {
    event.preventDefault();
    const label = field(event.currentTarget as HTMLFormElement, 'label');
    try {
      const issued = await api<{ apiKey: string }>(
        'POST',
        `/v1/admin/merchants/${merchant.id}/api-keys`,
        label ? { label } : {},
      );
      setSecret({ merchant: merchant.name, key: issued.apiKey });
      setError(null);
      load();
    } catch (e) {
      setError((e as ApiError).message);
    }
  };
  const revoke = async (merchant: MerchantRow, keyId: string) => {
    if (!window.confirm('Revoke this API key? The merchant\u2019s requests with it stop at once.'))
      return;
    try {
      await api('DELETE', `/v1/admin/merchants/${merchant.id}/api-keys/${keyId}`);
      load();
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  if (!merchants) return <p>Loading…</p>;
  return (
    <section>
      <h1>Merchants</h1>
      {error && <p class="error">{error}</p>}
      {secret && (
        <div class="secret" role="alert">
          New API key for {secret.merchant} — shown this once, copy it now:
          <code>{secret.key}</code>
          <button onClick={() => setSecret(null)}>Done</button>
        </div>
      )}
      {merchants.map((m) => (
        <article key={m.id} class="merchant" data-merchant-id={m.id}>
          <h2>
            {m.name} <small>({m.externalId})</small>{' '}
            <span class={`badge ${statusClass(m.onboarding)}`}>{m.onboarding}</span>
          </h2>
          <dl class="facts">
            <dt>MobilePay merchant id</dt>
            <dd>{m.mobilePayMerchantId ?? '—'}</dd>
            <dt>VAT number</dt>
            <dd>{m.vatNumber}</dd>
            <dt>Routing</dt>
            <dd>
              {m.acquirerRoutes
                ? Object.entries(m.acquirerRoutes)
                    .map(([k, v]) => `${k} → ${v}`)
                    .join(', ')
                : "the platform's routes"}
            </dd>
            <dt>Payments</dt>
            <dd>
              <a href={`#/payments?merchantId=${m.id}`}>{m.payments}</a>
            </dd>
            <dt>Onboarded</dt>
            <dd>{time(m.createdAt)}</dd>
          </dl>
          <table class="keys">
            <thead>
              <tr>
                <th>API key</th>
                <th>Label</th>
                <th>Created</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {m.apiKeys.map((k) => (
                <tr key={k.id} data-key-id={k.id}>
                  <td>
                    <code>{k.prefix}_…</code>
                  </td>
                  <td>{k.label ?? ''}</td>
                  <td>{time(k.createdAt)}</td>
                  <td>
                    <span class={`badge ${k.active ? 'ok' : 'bad'}`}>
                      {k.active ? 'active' : `revoked ${time(k.revokedAt)}`}
                    </span>
                  </td>
                  <td>
                    {k.active && m.status === 'ACTIVE' && (
                      <button onClick={() => void revoke(m, k.id)}>Revoke</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {m.status === 'ACTIVE' && (
            <form class="inline" onSubmit={(e) => void create(m, e)}>
              <input name="label" placeholder="label (optional)" maxLength={100} />
              <button type="submit">Create API key</button>
            </form>
          )}
        </article>
      ))}
    </section>
  );
}
