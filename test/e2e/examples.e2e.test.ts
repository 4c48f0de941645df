import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { SMTPServer } from 'smtp-server';

import { expectedText, startMockWriter, type MockWriter } from '../mock-writer/server';
import { createN8n, installPackage, itemsOf, n8nBin, type N8n } from './n8n';

const root = resolve(__dirname, '../..');
const example = (file: string) => readFileSync(join(root, 'examples', file), 'utf8');

let mock: MockWriter;
let n8n: N8n;
let filesDir: string;
let smtp: { server: SMTPServer; port: number; mails: string[] };

beforeAll(async () => {
	const bin = n8nBin();
	mock = await startMockWriter();
	smtp = await startSmtp();
	n8n = createN8n(bin);
	filesDir = join(n8n.home, 'files');
	n8n.env.N8N_RESTRICT_FILE_ACCESS_TO = filesDir;
	installPackage(n8n.home);

	await n8n.importCredentials([
		{ id: 'WriterCredential01', name: 'Writer account', type: 'writerApi', data: { apiKey: mock.apiKey, baseUrl: mock.url } },
		{
			id: 'SmtpCredential0001',
			name: 'SMTP account',
			type: 'smtp',
			data: { user: '', password: '', host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true },
		},
	]);
	for (const file of ['1-topics-to-taglines.json', '2-csv-rows-to-descriptions.json', '3-rows-to-emails.json']) {
		// The CSV example reads and writes under n8n's files folder; point it at this instance's.
		await n8n.importWorkflow(JSON.parse(example(file).replaceAll('/home/node/.n8n-files', filesDir)));
	}
}, 20 * 60_000);

afterAll(async () => {
	await mock?.close();
	smtp?.server.close();
});

test('1. a list of topics → Writer → one tagline per topic', async () => {
	const { code, runData, error } = await n8n.execute('writerExTopics');
	expect(error).toBeUndefined();
	expect(code).toBe(0);
	const topics = ['mountain biking', 'sourdough baking', 'home espresso'];
	expect(itemsOf(runData, 'Write Tagline')).toEqual(
		topics.map((topic) => ({ topics: topic, text: expectedText(`Write a one-line tagline for a blog about ${topic}.`) })),
	);
	const sent = mock.completions().filter((r) => r.body.prompt.includes('tagline'));
	expect(sent.map((r) => r.body)).toEqual(
		topics.map((topic) => expect.objectContaining({ model: 'palmyra-x5', max_tokens: 60, temperature: 0.7, prompt: expect.stringContaining(topic) })),
	);
});

test('2. CSV rows (Extract from File) → Writer per row → a CSV file back (Convert to File)', async () => {
	mkdirSync(join(filesDir, 'writer-example'), { recursive: true });
	copyFileSync(join(root, 'examples/data/products.csv'), join(filesDir, 'writer-example/products.csv'));
	const { code, error, runData } = await n8n.execute('writerExCsv');
	expect(itemsOf(runData, 'Write Description')).toHaveLength(3);
	expect(error).toBeUndefined();
	expect(code).toBe(0);
	// Convert to File writes a UTF-8 byte order mark first.
	const csv = readFileSync(join(filesDir, 'writer-example/descriptions.csv'), 'utf8').replace(/^\uFEFF/, '');
	const rows = [
		['Trail running shoes', 'weekend hikers'],
		['Insulated water bottle', 'commuters'],
		['Solar lantern', 'campers'],
	];
	// The Writer node keeps each row's fields and adds its text as "description" (node version 1.1).
	expect(csv.split('\n')[0]).toBe('product,audience,description');
	for (const [product, audience] of rows) {
		const text = expectedText(`Write a two-sentence product description of ${product} for ${audience}.`);
		expect(csv).toContain(`${product},${audience},${csvField(text)}`);
	}
});

test('3. rows → Writer → Send Email: each mail arrives with its generated text, addressed from the same item', async () => {
	smtp.mails.length = 0;
	const { code, error } = await n8n.execute('writerExEmail');
	expect(error).toBeUndefined();
	expect(code).toBe(0);
	expect(smtp.mails).toHaveLength(2);
	for (const [name, email, topic] of [
		['Ada', 'ada@example.com', 'our new trail shoes'],
		['Linus', 'linus@example.com', 'the solar lantern'],
	]) {
		const mail = smtp.mails.map(decodeMail).find((m) => m.headers.includes(`To: ${email}`));
		expect(mail).toBeDefined();
		expect(mail!.headers).toContain(`Subject: News for ${name}`);
		expect(mail!.body.trim()).toBe(expectedText(`Write a short, friendly email to ${name} about ${topic}.`));
	}
});

function csvField(text: string): string {
	return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function startSmtp() {
	const mails: string[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, _session, callback) {
			let raw = '';
			stream.on('data', (chunk: Buffer) => (raw += chunk.toString('latin1')));
			stream.on('end', () => {
				mails.push(raw);
				callback();
			});
		},
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const port = (server.server.address() as { port: number }).port;
	return { server, port, mails };
}

/** Splits a raw single-part mail and decodes its body (quoted-printable or base64, UTF-8). */
function decodeMail(raw: string): { headers: string; body: string } {
	const split = raw.indexOf('\r\n\r\n');
	const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
	const body = raw.slice(split + 4);
	const encoding = /Content-Transfer-Encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
	let bytes: Buffer;
	if (encoding === 'quoted-printable') {
		const unfolded = body.replace(/=\r\n/g, '');
		bytes = Buffer.from(unfolded.replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
	} else if (encoding === 'base64') {
		bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
	} else {
		bytes = Buffer.from(body, 'latin1');
	}
	return { headers, body: bytes.toString('utf8') };
}
