// What the scripts that drive the real n8n editor share: n8n's REST API as the logged-in owner,
// and headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) with that owner's cookie.
const { chromium } = require('playwright-core');

/** A client for `${base}/rest`: GET without a body, POST with one; resolves with `data` and a login cookie. */
function restClient(base) {
	return async function rest(path, body, cookie) {
		const response = await fetch(`${base}/rest${path}`, {
			method: body ? 'POST' : 'GET',
			headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
		return { json: (await response.json()).data, cookie: response.headers.get('set-cookie')?.split(';')[0] };
	};
}

/** Headless Chromium and a 1440×900 context logged in with `cookie` (`name=value`). */
async function openEditor(cookie) {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const [name, value] = cookie.split('=');
	await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/' }]);
	return { browser, context };
}

module.exports = { restClient, openEditor };
