const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The console's login form: server-rendered, no script, posts the admin key once. */
export function loginPage(error?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PSP console · sign in</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; background: #f3f4f6; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 3px #0002; width: 22rem; }
  h1 { font-size: 1.2rem; margin: 0 0 1rem; }
  label { display: block; margin-bottom: .4rem; color: #374151; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #d1d5db; border-radius: 4px; }
  button { margin-top: 1rem; width: 100%; padding: .55rem; font: inherit; background: #1d4ed8; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  .error { color: #b91c1c; margin: 0 0 1rem; }
</style>
</head>
<body>
<form method="post" action="/console/login" autocomplete="off">
  <h1>PSP operator console</h1>
  ${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
  <label for="key">Admin key</label>
  <input id="key" name="key" type="password" required autofocus>
  <button type="submit">Sign in</button>
</form>
</body>
</html>`;
}
