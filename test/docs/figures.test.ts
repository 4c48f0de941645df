/**
 * Every benchmark figure in the docs is the one bench/results.json holds: the tables between
 * `<!-- bench:… -->` markers must be exactly what scripts/docs-figures.js writes from it.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const figures = require('../../scripts/docs-figures.js') as {
	applyFigures: (text: string, results: Results, file?: string, used?: Set<string>) => string;
	docFiles: (root?: string) => string[];
	renderBlock: (name: string, results: Results) => string;
	run: (root: string, options: { check: boolean }) => { changed: string[]; unshown: string[] };
	slug: (part: string) => string;
};

interface Results {
	machine?: Record<string, unknown>;
	rows: Array<Record<string, unknown>>;
	grid?: Array<Record<string, unknown>>;
}

const root = resolve(__dirname, '../..');
const results = JSON.parse(readFileSync(resolve(root, 'bench/results.json'), 'utf8')) as Results;

describe('the docs as they are', () => {
	test.each(figures.docFiles(root).map((file) => [relative(root, file), file]))(
		'%s: every benchmark table is what npm run docs:figures writes from bench/results.json',
		(name, file) => {
			const text = readFileSync(file, 'utf8');
			expect(figures.applyFigures(text, results, name)).toBe(text);
		},
	);

	test('every part of bench/results.json is shown in some doc, and nothing is left to rewrite', () => {
		expect(figures.run(root, { check: true })).toEqual({ changed: [], unshown: [] });
	});

	test('the performance and scaling docs hold tables, not only markers', () => {
		const used = new Set<string>();
		for (const file of figures.docFiles(root)) figures.applyFigures(readFileSync(file, 'utf8'), results, file, used);
		const parts = results.rows.map((row) => figures.slug(String(row.part)));
		if (results.grid?.length) parts.push('grid');
		expect([...used].sort()).toEqual([...new Set(parts)].sort());
		expect(readFileSync(resolve(root, 'docs/performance.md'), 'utf8')).toContain('| Measure | Result |');
	});
});

describe('the renderer', () => {
	const sample: Results = {
		machine: { node: 'v24.0.0', cpus: '2 × Test CPU', memoryGb: 8, date: '2026-12-01T10:00:00.000Z' },
		rows: [
			{ part: '1 Batch', measure: 'cap 5', value: '1.00 s', reference: 'ideal 0.98 s', ratio: 0.98, target: '≥ 0.97', met: true, note: 'a | b' },
			{ part: '1 Batch', measure: 'cap 50', value: '2.00 s', reference: 'ideal 1.80 s', ratio: 0.9, target: '≥ 0.97', met: false },
			{ part: '7 Scaling grid', measure: 'rpm 400, 2 workers', value: '10 s', ratio: 1, target: 'lost 0', met: true, share429: 0.125, lost: 0 },
		],
	};
	const doc = (name: string, inside = 'stale') => `Intro\n\n<!-- bench:${name} -->\n${inside}\n<!-- /bench:${name} -->\n\nOutro\n`;

	test('a part is named by its part field without the number', () => {
		expect(figures.slug('1 Batch')).toBe('batch');
		expect(figures.slug('4 Rate-limited')).toBe('rate-limited');
		expect(figures.slug('7 Scaling grid')).toBe('scaling-grid');
	});

	test('writes the rows of the part between its markers, and leaves the rest of the doc alone', () => {
		const written = figures.applyFigures(doc('batch'), sample);
		expect(written).toBe(
			doc(
				'batch',
				[
					'| Measure | Result | Reference (same run) | Ratio | Target | Met | Note |',
					'|---|---|---|---|---|---|---|',
					'| cap 5 | 1.00 s | ideal 0.98 s | 0.980 | ≥ 0.97 | yes | a \\| b |',
					'| cap 50 | 2.00 s | ideal 1.80 s | 0.900 | ≥ 0.97 | **no** |  |',
				].join('\n'),
			),
		);
		// Written once, the doc is what the script writes: nothing changes a second time.
		expect(figures.applyFigures(written, sample)).toBe(written);
	});

	test('a figure changed in results.json makes the doc differ', () => {
		const written = figures.applyFigures(doc('batch'), sample);
		const rerun = { ...sample, rows: sample.rows.map((row) => (row.measure === 'cap 5' ? { ...row, ratio: 0.95 } : row)) };
		expect(figures.applyFigures(written, rerun)).not.toBe(written);
		expect(figures.applyFigures(written, rerun)).toContain('| 0.950 |');
	});

	test('fields it does not know are columns too, and a column no row fills is left out', () => {
		const table = figures.renderBlock('scaling-grid', sample);
		expect(table.split('\n')[0]).toBe('| Measure | Result | Ratio | Target | Met | Share 429 | Lost |');
		expect(table).toContain('| rpm 400, 2 workers | 10 s | 1 | lost 0 | yes | 0.125 | 0 |');
	});

	test('the rate-limit grid is a part of its own, its columns in the order of a cell', () => {
		const cell = { cell: '4 in flight', run: 'warm', timesIdeal: 1.25, refusedShare: 0.0125, refusals: 1, requests: 80, lost: 0, target: '≤ 1.3× ideal', met: true };
		const table = figures.renderBlock('grid', { ...sample, grid: [cell] });
		expect(table.split('\n')[0]).toBe('| Cell | Run | × ideal | 429 share | 429s | Requests | Lost | Target | Met |');
		expect(table).toContain('| 4 in flight | warm | 1.250 | 1.3 % | 1 | 80 | 0 | ≤ 1.3× ideal | yes |');
	});

	test('several parts in one table get a Part column', () => {
		const table = figures.renderBlock('batch,scaling-grid', sample);
		expect(table.split('\n')[0]).toMatch(/^\| Part \| Measure \|/);
		expect(table.split('\n')).toHaveLength(2 + 3);
	});

	test('the machine line', () => {
		expect(figures.renderBlock('machine', sample)).toBe('Last run: Node v24.0.0, 2 × Test CPU, 8 GB RAM (2026-12-01).');
	});

	test('a marker naming a part results.json lacks, or one never closed, is an error', () => {
		expect(() => figures.applyFigures(doc('scaling'), sample, 'docs/x.md')).toThrow(
			'docs/x.md: <!-- bench:scaling -->: no part "scaling" in bench/results.json (its parts: batch, scaling-grid)',
		);
		expect(() => figures.applyFigures('<!-- bench:batch -->\n', sample, 'docs/x.md')).toThrow('has no <!-- /bench:batch -->');
	});

	test('a marker inside a code block is an example, not a table', () => {
		const example = '```\n<!-- bench:nothing -->\n<!-- /bench:nothing -->\n```\n';
		expect(figures.applyFigures(example, sample)).toBe(example);
	});
});
