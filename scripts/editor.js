// What the scripts that drive the real n8n editor share: n8n's REST API as the logged-in owner,
// and headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) with that owner's cookie.
const { spawn } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { chromium } = require('playwright-core');

/**
 * Starts `npm run dev -- --demo` on `port` with a throwaway home (its folder name starts with
 * `homePrefix`) and resolves with the child once it has printed the login (n8n up, owner created).
 */
function startDemo(port, homePrefix) {
	const home = mkdtempSync(join(tmpdir(), homePrefix));
	const dev = spawn(process.execPath, [join(__dirname, 'dev.js'), '--demo'], {
		cwd: resolve(__dirname, '..'),
		env: { ...process.env, N8N_PORT: port, N8N_DEV_HOME: home },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let log = '';
	return new Promise((resolvePromise, reject) => {
		dev.stdout.on('data', (chunk) => {
			log += chunk;
			if (log.includes('Log in:')) resolvePromise(dev);
		});
		dev.on('exit', (code) => reject(new Error(`npm run dev -- --demo exited ${code}:\n${log}`)));
	});
}

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

module.exports = { restClient, openEditor, startDemo };
