import { CHALLENGE_WINDOW_SIZE, type ChallengeView, type ThreeDsStep } from './three-ds.service';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A value for an inline script: JSON with `<` escaped, so it cannot close the script element. */
const js = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function formatAmount(amount: bigint, currency: string): string {
  const major = amount / 100n;
  const minor = (amount % 100n).toString().padStart(2, '0');
  return `${major.toString()},${minor} ${currency}`;
}

const hidden = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
    .join('\n    ');

function cancelForm(attemptId: string, token: string): string {
  return `<form method="post" action="/3ds/${escape(attemptId)}/challenge">
    ${hidden({ token })}
    <button type="submit" name="action" value="cancel" id="cancel" class="secondary">Cancel</button>
  </form>`;
}

function document(body: string, nonce: string, script = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>3-D Secure</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 1.5rem auto; padding: 0 .5rem; color: #1a1a1a; }
    .amount { font-size: 2rem; font-weight: 600; margin: .5rem 0; }
    .merchant, .card, .status { color: #555; margin: .25rem 0; }
    button { display: block; width: 100%; padding: .9rem; margin-top: .75rem; font-size: 1rem; border-radius: .5rem;
      border: 0; background: #5a78ff; color: #fff; cursor: pointer; }
    button.secondary { background: #e9ecf5; color: #1a1a1a; }
    .hidden { display: none; }
    iframe.challenge { display: block; width: 390px; max-width: 100%; height: 400px; border: 1px solid #d5d9e5; border-radius: .5rem; }
  </style>
</head>
<body>
  ${body}
  ${script ? `<script nonce="${escape(nonce)}">${script}</script>` : ''}
</body>
</html>`;
}

/**
 * The page MobilePay's app opens (the `threeDSecureUrl` of PATCH 1008): it shows what is paid,
 * collects the browser data EMV 3-D Secure needs (screen, colour depth, time zone, language,
 * Java/JavaScript) and posts it on; without JavaScript the shopper presses Continue. Scripts run
 * only with the response's nonce (strict Content-Security-Policy).
 */
export function renderChallengePage(
  view: ChallengeView,
  attemptId: string,
  token: string,
  doneUrl: string,
  nonce: string,
): string {
  if (view.state !== 'challenge') {
    return document(
      `<h1>This authentication is finished</h1>
  <p><a id="continue" href="${escape(doneUrl)}">Return to MobilePay</a></p>`,
      nonce,
    );
  }
  const body = `<h1>Confirm your payment</h1>
  <p class="merchant">${escape(view.merchantName)}</p>
  <p class="amount" data-testid="amount">${escape(formatAmount(view.amount, view.currency))}</p>
  ${view.maskedCard ? `<p class="card">Card ${escape(view.maskedCard)}</p>` : ''}
  <p class="status">Your bank asks you to confirm this payment. Contacting your bank…</p>
  <form id="start" method="post" action="/3ds/${escape(attemptId)}/start">
    ${hidden({
      token,
      colorDepth: '24',
      screenHeight: '0',
      screenWidth: '0',
      tz: '0',
      language: 'en',
      javaEnabled: 'false',
      javascriptEnabled: 'false',
    })}
    <noscript><button type="submit" id="continue">Continue</button></noscript>
  </form>
  ${cancelForm(attemptId, token)}`;
  const script = `
    var f = document.getElementById('start');
    f.colorDepth.value = String(screen.colorDepth || 24);
    f.screenHeight.value = String(screen.height || 0);
    f.screenWidth.value = String(screen.width || 0);
    f.tz.value = String(new Date().getTimezoneOffset());
    f.language.value = navigator.language || 'en';
    f.javaEnabled.value = String(typeof navigator.javaEnabled === 'function' ? navigator.javaEnabled() : false);
    f.javascriptEnabled.value = 'true';
    f.submit();`;
  return document(body, nonce, script);
}

/** The next step after /preauth or /auth: the 3DS Method, or the ACS challenge in an iframe. */
export function renderStepPage(
  step: Exclude<ThreeDsStep, { kind: 'done' }>,
  attemptId: string,
  token: string,
  nonce: string,
): string {
  if (step.kind === 'method') {
    const body = `<p class="status">Contacting your bank…</p>
  <iframe name="threeDSMethodIframe" class="hidden" title="3DS Method"></iframe>
  <form id="method" method="post" action="${escape(step.methodUrl)}" target="threeDSMethodIframe">
    ${hidden({ threeDSMethodData: step.methodData })}
  </form>
  <form id="continue" method="post" action="/3ds/${escape(attemptId)}/authenticate">
    ${hidden({ token, state: step.state, methodCompleted: 'false' })}
    <noscript><button type="submit">Continue</button></noscript>
  </form>
  ${cancelForm(attemptId, token)}`;
    // Completion (the notification page posts a message) → Y; nothing within 10 s → N.
    const script = `
    var sent = false;
    function go(completed) {
      if (sent) return;
      sent = true;
      var f = document.getElementById('continue');
      f.methodCompleted.value = completed ? 'true' : 'false';
      f.submit();
    }
    window.addEventListener('message', function (e) {
      if (e.origin === location.origin && e.data === 'threeDSMethodComplete') go(true);
    });
    setTimeout(function () { go(false); }, ${js(step.timeoutMs)});
    document.getElementById('method').submit();`;
    return document(body, nonce, script);
  }
  const body = `<h1>Confirm it is you</h1>
  <p class="status">Your bank shows its confirmation below.</p>
  <iframe name="challengeIframe" class="challenge" title="Your bank" data-window-size="${CHALLENGE_WINDOW_SIZE}"></iframe>
  <form id="challenge" method="post" action="${escape(step.acsUrl)}" target="challengeIframe">
    ${hidden({ creq: step.creq, threeDSSessionData: step.sessionData })}
    <noscript><button type="submit">Show the confirmation</button></noscript>
  </form>
  ${cancelForm(attemptId, token)}`;
  return document(body, nonce, `document.getElementById('challenge').submit();`);
}

/** Loaded in the hidden 3DS Method iframe when the ACS notifies us: tells the page. */
export function renderMethodNotificationPage(nonce: string): string {
  return document(
    '<p>Done.</p>',
    nonce,
    `parent.postMessage('threeDSMethodComplete', location.origin);`,
  );
}

/** Loaded in the challenge iframe after the CRes: the whole web view goes on to done3ds. */
export function renderChallengeDonePage(doneUrl: string, nonce: string): string {
  return document(
    `<p><a id="continue" href="${escape(doneUrl)}" target="_top">Return to MobilePay</a></p>`,
    nonce,
    `window.top.location.href = ${js(doneUrl)};`,
  );
}
