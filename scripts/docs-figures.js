#!/usr/bin/env node
// npm run docs:figures (also run after npm run bench): writes every benchmark figure in the docs
// from bench/results.json, so that no figure is typed by hand and none can drift from the last run.
//
// A doc holds a table between two markers; the script replaces what lies between them:
//   <!-- bench:batch -->          the rows of one part of results.json ("1 Batch" → batch)
//   <!-- bench:batch,overhead --> the rows of several parts, with a Part column
//   <!-- bench:machine -->        the machine and date of the run
//   <!-- bench:grid -->           the rate-limit grid (results.json's `grid`, one row per cell and run)
//   <!-- /bench:batch -->         ends the block (the same name as it opened with)
// Tables show whatever fields the rows carry (known fields first, in a fixed order), and leave out
// a column no row of the table fills. test/docs/figures.test.ts fails when a doc differs from what
// this script would write, and when a part of results.json is in no doc.
//
// Usage: node scripts/docs-figures.js [--check]   (--check writes nothing, exits 1 on a difference)
const { existsSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const RESULTS = 'bench/results.json';

/** Every file that may hold markers. */
function docFiles(root = ROOT) {
	const top = ['README.md', 'CONTRIBUTING.md', 'RELEASING.md', 'CHANGELOG.md'].map((name) => join(root, name));
	const docsDir = join(root, 'docs');
	const docs = existsSync(docsDir)
		? readdirSync(docsDir)
				.filter((name) => name.endsWith('.md'))
				.sort()
				.map((name) => join(docsDir, name))
		: [];
	return [...top, ...docs].filter((file) => existsSync(file));
}

/** "1 Batch" → "batch", "4 Rate-limited" → "rate-limited": the part's name without its number. */
function slug(part) {
	return String(part)
		.replace(/^\s*\d+\s*/, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

const KNOWN_COLUMNS = ['measure', 'value', 'reference', 'ratio', 'target', 'met', 'note'];
const LABELS = {
	part: 'Part',
	measure: 'Measure',
	value: 'Result',
	reference: 'Reference (same run)',
	ratio: 'Ratio',
	target: 'Target',
	met: 'Met',
	note: 'Note',
	cell: 'Cell',
	run: 'Run',
	timesIdeal: '× ideal',
	refusedShare: '429 share',
	refusals: '429s',
	requests: 'Requests',
};

/** The grid's columns, in the order a reader compares them. */
const GRID_COLUMNS = ['cell', 'run', 'timesIdeal', 'refusedShare', 'refusals', 'requests', 'lost', 'target', 'met', 'note'];

/** A field name the script does not know, as a header: share429 → Share 429, peakInFlight → Peak in flight. */
function label(key) {
	if (LABELS[key]) return LABELS[key];
	const words = key
		.replace(/([a-z])([A-Z0-9])/g, '$1 $2')
		.replace(/([0-9])([A-Za-z])/g, '$1 $2')
		.replace(/[_-]+/g, ' ')
		.trim()
		.toLowerCase();
	return words.charAt(0).toUpperCase() + words.slice(1);
}

function isEmpty(value) {
	return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function cell(key, value) {
	if (isEmpty(value)) return '';
	if (typeof value === 'boolean') {
		if (key === 'met') return value ? 'yes' : '**no**';
		return value ? 'yes' : 'no';
	}
	if (key === 'refusedShare' && typeof value === 'number') return `${(value * 100).toFixed(1)} %`;
	if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
	if (Array.isArray(value)) return value.map((entry) => cell('', entry)).join(', ');
	if (typeof value === 'object') return escape(JSON.stringify(value));
	return escape(String(value));
}

function escape(text) {
	return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** The rows as a Markdown table: known columns first, then any other field in the order first met. */
function table(rows, withPart, known = KNOWN_COLUMNS) {
	const keys = [];
	const add = (key) => {
		if (!keys.includes(key) && rows.some((row) => !isEmpty(row[key]))) keys.push(key);
	};
	if (withPart) add('part');
	known.forEach(add);
	for (const row of rows) Object.keys(row).filter((key) => key !== 'part').forEach(add);
	const line = (cells) => `| ${cells.join(' | ')} |`;
	return [
		line(keys.map(label)),
		`|${keys.map(() => '---').join('|')}|`,
		...rows.map((row) => line(keys.map((key) => cell(key, row[key])))),
	].join('\n');
}

function machineLine(machine = {}) {
	const { node, cpus, memoryGb, date, ...rest } = machine;
	const parts = [];
	if (node) parts.push(`Node ${node}`);
	if (cpus) parts.push(String(cpus));
	if (memoryGb !== undefined) parts.push(`${memoryGb} GB RAM`);
	for (const [key, value] of Object.entries(rest)) parts.push(`${label(key).toLowerCase()} ${cell(key, value)}`);
	const day = date ? ` (${String(date).slice(0, 10)})` : '';
	return `Last run: ${parts.join(', ')}${day}.`;
}

/** The parts of results.json by slug, in the order the benchmark wrote them. */
function partsOf(results) {
	const parts = new Map();
	for (const row of results.rows ?? []) {
		const key = slug(row.part);
		if (!parts.has(key)) parts.set(key, []);
		parts.get(key).push(row);
	}
	// The rate-limit grid is kept apart from the rows (its cells have columns of their own).
	if (results.grid?.length) parts.set('grid', results.grid);
	return parts;
}

/** What belongs between the markers of `name`. */
function renderBlock(name, results) {
	if (name === 'machine') return machineLine(results.machine);
	const parts = partsOf(results);
	const names = name.split(',').map((entry) => entry.trim());
	const rows = names.flatMap((entry) => {
		const found = parts.get(entry);
		if (!found) {
			throw new Error(`no part "${entry}" in ${RESULTS} (its parts: ${[...parts.keys()].join(', ') || 'none'})`);
		}
		return found;
	});
	return table(rows, names.length > 1, names.length === 1 && names[0] === 'grid' ? GRID_COLUMNS : KNOWN_COLUMNS);
}

const OPEN = /<!-- bench:([a-z0-9,-]+) -->/g;

/** Where the fenced code blocks of a Markdown text start and end. */
function fencedRanges(text) {
	const ranges = [];
	const fence = /^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\1[^\n]*$/gm;
	for (let match = fence.exec(text); match; match = fence.exec(text)) ranges.push([match.index, match.index + match[0].length]);
	return ranges;
}

/** `text` with every block rewritten; `used` collects the part slugs the blocks show. */
function applyFigures(text, results, file = 'the doc', used = new Set()) {
	let out = '';
	let at = 0;
	OPEN.lastIndex = 0;
	const fences = fencedRanges(text);
	for (let open = OPEN.exec(text); open; open = OPEN.exec(text)) {
		// A marker shown as an example in a code block is text, not a block to fill.
		if (fences.some(([from, to]) => open.index >= from && open.index < to)) continue;
		const name = open[1];
		const close = `<!-- /bench:${name} -->`;
		const end = text.indexOf(close, OPEN.lastIndex);
		if (end < 0) throw new Error(`${file}: <!-- bench:${name} --> has no ${close}`);
		let block;
		try {
			block = renderBlock(name, results);
		} catch (error) {
			throw new Error(`${file}: <!-- bench:${name} -->: ${error.message}`);
		}
		if (name !== 'machine') name.split(',').forEach((entry) => used.add(entry.trim()));
		out += `${text.slice(at, OPEN.lastIndex)}\n${block}\n`;
		at = end;
		OPEN.lastIndex = end + close.length;
	}
	return out + text.slice(at);
}

function readResults(root = ROOT) {
	return JSON.parse(readFileSync(join(root, RESULTS), 'utf8'));
}

/** Rewrites (or, with `check`, only compares) every doc; returns the files that differ and the parts no doc shows. */
function run(root = ROOT, { check = false } = {}) {
	const results = readResults(root);
	const used = new Set();
	const changed = [];
	for (const file of docFiles(root)) {
		const text = readFileSync(file, 'utf8');
		const updated = applyFigures(text, results, relative(root, file), used);
		if (updated === text) continue;
		changed.push(relative(root, file));
		if (!check) writeFileSync(file, updated);
	}
	const unshown = [...partsOf(results).keys()].filter((part) => !used.has(part));
	return { changed, unshown };
}

if (require.main === module) {
	const check = process.argv.includes('--check');
	try {
		const { changed, unshown } = run(ROOT, { check });
		for (const file of changed) console.log(`${check ? 'differs from' : 'updated from'} ${RESULTS}: ${file}`);
		for (const part of unshown) console.log(`no doc shows the part "${part}": add <!-- bench:${part} --> … <!-- /bench:${part} -->`);
		if (check && changed.length) {
			console.log('Run npm run docs:figures to write them.');
			process.exitCode = 1;
		}
	} catch (error) {
		console.error(`docs-figures: ${error.message}`);
		process.exitCode = 1;
	}
}

module.exports = { applyFigures, docFiles, label, machineLine, partsOf, renderBlock, run, slug, table };
