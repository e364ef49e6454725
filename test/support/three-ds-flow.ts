/**
 * The EMV 3-D Secure browser journey without a browser, for specs that only need its outcome:
 * follows the challenge page's forms (browser data, 3DS Method, /auth, CReq, the simulator ACS's
 * answer, CRes) over HTTP the way the page's scripts would. Browser specs use chromium instead.
 */
const BROWSER_FIELDS = {
  colorDepth: '24',
  screenHeight: '800',
  screenWidth: '412',
  tz: '-60',
  language: 'da-DK',
  javaEnabled: 'false',
  javascriptEnabled: 'true',
};
const HEADERS = {
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'text/html,application/xhtml+xml',
  'user-agent': 'Mozilla/5.0 (Linux; Android 14) MobilePay web view',
};

interface Form {
  action: string;
  fields: Record<string, string>;
}

const unescape = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The form with this id (or the first one), its action resolved against the page URL. */
function form(html: string, pageUrl: string, id?: string): Form {
  const forms = [...html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)];
  const found = forms.find((f) => !id || f[1].includes(`id="${id}"`));
  if (!found) throw new Error(`no form ${id ?? ''} on ${pageUrl}:\n${html.slice(0, 800)}`);
  const action = unescape(/action="([^"]*)"/.exec(found[1])![1]);
  const fields: Record<string, string> = {};
  for (const input of found[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[unescape(input[1])] = unescape(input[2]);
  }
  return { action: new URL(action, pageUrl).toString(), fields };
}

async function post(f: Form, extra: Record<string, string> = {}) {
  const response = await fetch(f.action, {
    method: 'POST',
    headers: HEADERS,
    body: new URLSearchParams({ ...f.fields, ...extra }).toString(),
    redirect: 'manual',
  });
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: await response.text(),
    url: f.action,
  };
}

/**
 * Runs the journey from the challenge URL; `action` is the cardholder's answer at the ACS when
 * there is a challenge. Returns where the web view ends (done3ds).
 */
export async function completeThreeDs(
  challengeUrl: string,
  action: 'approve' | 'reject' = 'approve',
): Promise<string> {
  const page = await (await fetch(challengeUrl)).text();
  let step = await post(form(page, challengeUrl, 'start'), BROWSER_FIELDS);
  if (step.status === 303) return step.location!;
  if (step.html.includes('id="method"')) {
    const method = await post(form(step.html, step.url, 'method'));
    if (method.html.includes('<form')) await post(form(method.html, method.url));
    step = await post(form(step.html, step.url, 'continue'), { methodCompleted: 'true' });
    if (step.status === 303) return step.location!;
  }
  const acs = await post(form(step.html, step.url, 'challenge'));
  const answered = await post(form(acs.html, acs.url), { action });
  const result = await post(form(answered.html, answered.url));
  if (result.status !== 200) throw new Error(`challenge result answered ${result.status}`);
  return /href="([^"]+)"/.exec(result.html)![1];
}
