import type { ChallengeView } from './three-ds.service';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function formatAmount(amount: bigint, currency: string): string {
  const major = amount / 100n;
  const minor = (amount % 100n).toString().padStart(2, '0');
  return `${major.toString()},${minor} ${currency}`;
}

/**
 * The challenge page MobilePay's app shows in its web view. Self-contained (no scripts, no
 * external resources), so a strict Content-Security-Policy holds.
 */
export function renderChallengePage(
  view: ChallengeView,
  attemptId: string,
  token: string,
  doneUrl: string,
): string {
  const body =
    view.state === 'challenge'
      ? `<h1>Confirm your payment</h1>
  <p class="merchant">${escape(view.merchantName)}</p>
  <p class="amount" data-testid="amount">${escape(formatAmount(view.amount, view.currency))}</p>
  ${view.maskedCard ? `<p class="card">Card ${escape(view.maskedCard)}</p>` : ''}
  <p>Your bank asks you to confirm this payment.</p>
  <form method="post" action="/3ds/${escape(attemptId)}/challenge">
    <input type="hidden" name="token" value="${escape(token)}">
    <button type="submit" name="action" value="approve" id="approve">Confirm payment</button>
    <button type="submit" name="action" value="cancel" id="cancel" class="secondary">Cancel</button>
  </form>`
      : `<h1>This authentication is finished</h1>
  <p><a id="continue" href="${escape(doneUrl)}">Return to MobilePay</a></p>`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>3-D Secure</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
    .amount { font-size: 2rem; font-weight: 600; margin: .5rem 0; }
    .merchant, .card { color: #555; margin: .25rem 0; }
    button { display: block; width: 100%; padding: .9rem; margin-top: .75rem; font-size: 1rem; border-radius: .5rem;
      border: 0; background: #5a78ff; color: #fff; cursor: pointer; }
    button.secondary { background: #e9ecf5; color: #1a1a1a; }
  </style>
</head>
<body>
  ${body}
</body>
</html>`;
}
