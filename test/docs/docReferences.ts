/**
 * Finds the names a Markdown doc mentions — links, paths in backticks and code blocks, npm scripts,
 * benchmark parts, WRITER_ variables, #anchors — and says which of them the repository lacks.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

export interface Repo {
	root: string;
	/** Every file and folder, relative to the root with `/`, generated ones left out. */
	paths: string[];
	/** Folder names anywhere in the repository: a path in a doc is checked only when it starts with one. */
	folders: Set<string>;
	scripts: Set<string>;
	/** bench/run.ts, where `npm run bench -- <part>` must name a part. */
	benchSource: string;
	/** The source of the code and scripts, where a WRITER_ variable must be read. */
	source: string;
	/** Patterns from .gitignore: paths that are generated, so not in a clone. */
	ignored: RegExp[];
}

export interface Problem {
	file: string;
	line: number;
	name: string;
	why: string;
}

/** A file name a doc may mention; other dotted words (0.97, api.writer.com) are not paths. */
const FILE_EXTENSION = /\.(ts|js|mjs|json|md|yml|yaml|sh|csv|png|svg|tsv)$/;
const PATH_CHARACTERS = /^\.?[\w@][\w@./-]*$/;

export function loadRepo(root: string): Repo {
	const ignored = gitignorePatterns(root);
	const paths: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
			const path = dir ? `${dir}/${entry.name}` : entry.name;
			if (entry.name === '.git' || entry.name === 'node_modules' || isIgnored(path, ignored)) continue;
			paths.push(entry.isDirectory() ? `${path}/` : path);
			if (entry.isDirectory()) walk(path);
		}
	};
	walk('');
	const folders = new Set(paths.filter((p) => p.endsWith('/')).map((p) => posix.basename(p)));
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
	const sourceFiles = paths.filter((p) => /^(nodes|credentials|scripts|test|bench)\/.*\.(ts|js)$/.test(p) || (p.startsWith('.ci/') && !p.endsWith('/')));
	return {
		root,
		paths,
		folders,
		scripts: new Set(Object.keys(pkg.scripts)),
		benchSource: readFileSync(join(root, 'bench/run.ts'), 'utf8'),
		source: sourceFiles.filter((p) => !p.startsWith('test/docs/')).map((p) => readFileSync(join(root, p), 'utf8')).join('\n'),
		ignored,
	};
}

function gitignorePatterns(root: string): RegExp[] {
	const file = join(root, '.gitignore');
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('#'))
		.map((pattern) => {
			const glob = pattern.replace(/\/$/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
			// A pattern without a slash inside matches at any depth, as in git.
			return pattern.replace(/\/$/, '').includes('/') ? new RegExp(`^${glob}(/|$)`) : new RegExp(`(^|/)${glob}(/|$)`);
		});
}

function isIgnored(path: string, ignored: RegExp[]): boolean {
	return ignored.some((pattern) => pattern.test(path.replace(/\/$/, '')));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as `-`. */
export function anchorOf(heading: string): string {
	return heading
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/`/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');
}

/** Each line of a doc, with whether it lies in a fenced code block. */
function linesOf(text: string): Array<{ text: string; code: boolean; number: number }> {
	let fence: string | undefined;
	return text.split('\n').map((line, index) => {
		const opens = /^\s*(```|~~~)/.exec(line);
		if (opens && !fence) {
			fence = opens[1];
			return { text: line, code: true, number: index + 1 };
		}
		if (opens && fence === opens[1]) {
			fence = undefined;
			return { text: line, code: true, number: index + 1 };
		}
		return { text: line, code: fence !== undefined, number: index + 1 };
	});
}

export function anchorsOf(text: string): Set<string> {
	const anchors = new Set<string>();
	for (const line of linesOf(text)) {
		const heading = !line.code && /^#{1,6}\s+(.*)$/.exec(line.text);
		if (!heading) continue;
		const base = anchorOf(heading[1]);
		let anchor = base;
		for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
		anchors.add(anchor);
	}
	return anchors;
}

/** Whether `name` (a path from the root, or the end of one, or a file name) is in the repository. */
function existsInRepo(name: string, repo: Repo): boolean {
	const bare = name.replace(/\/$/, '');
	if (existsSync(join(repo.root, bare))) return true;
	return repo.paths.some((path) => {
		const p = path.replace(/\/$/, '');
		return p === bare || p.endsWith(`/${bare}`);
	});
}

/** A word that names a file or folder of this repository, as opposed to a MIME type or a version. */
function looksLikeRepoPath(word: string, repo: Repo): boolean {
	if (!PATH_CHARACTERS.test(word) || word.includes('//')) return false;
	if (isIgnored(word, repo.ignored)) return false;
	if (word.includes('/')) return repo.folders.has(word.split('/')[0]) || FILE_EXTENSION.test(word);
	return FILE_EXTENSION.test(word);
}

/** Words of a code span or code line, stripped of the punctuation around them. */
function wordsOf(code: string): string[] {
	return code
		.split(/[\s,;()'"=]+/)
		.map((word) => word.replace(/^[[{]+|[\]}:.]+$/g, ''))
		.filter(Boolean);
}

export function checkDoc(file: string, text: string, repo: Repo, anchorsByFile: (path: string) => Set<string> | undefined): Problem[] {
	const problems: Problem[] = [];
	const docDir = dirname(file);
	const report = (line: number, name: string, why: string) => problems.push({ file, line, name, why });
	const ownAnchors = anchorsOf(text);

	for (const line of linesOf(text)) {
		const code: string[] = [];
		// A shell comment in a code block is prose.
		if (line.code) code.push(line.text.replace(/(^|\s)#.*$/, ''));
		else {
			for (const span of line.text.matchAll(/`([^`]+)`/g)) code.push(span[1]);
			const prose = line.text.replace(/`[^`]+`/g, '');
			for (const link of prose.matchAll(/\]\(([^)\s]+)\)/g)) checkLink(link[1], line.number);
		}

		for (const snippet of code) {
			for (const run of snippet.matchAll(/\bnpm (?:run(?:-script)? )?([\w:.-]+)/g)) {
				const script = run[1].replace(/:$/, '');
				const builtin = ['ci', 'install', 'pack', 'publish', 'version', 'audit', 'exec', 'run'].includes(script);
				if (!builtin && !repo.scripts.has(script)) report(line.number, `npm run ${script}`, 'package.json has no such script');
			}
			for (const part of snippet.matchAll(/\bnpm run bench -- ([\w-]+)/g)) {
				if (!new RegExp(`\\b${part[1]}\\b`).test(repo.benchSource)) {
					report(line.number, `npm run bench -- ${part[1]}`, 'bench/run.ts has no such part');
				}
			}
			for (const word of wordsOf(snippet)) {
				if (looksLikeRepoPath(word, repo) && !existsInRepo(word, repo)) report(line.number, word, 'no such file or folder');
			}
		}
		for (const variable of line.text.matchAll(/\bWRITER_[A-Z0-9_]+\b/g)) {
			if (!repo.source.includes(variable[0])) report(line.number, variable[0], 'no code reads this variable');
		}
	}
	return problems;

	function checkLink(target: string, line: number): void {
		if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return;
		const [path, anchor] = target.split('#') as [string, string | undefined];
		const local = path === '' ? file : posix.normalize(posix.join(docDir.split('\\').join('/'), path));
		if (path !== '') {
			const full = join(repo.root, local);
			if (!existsSync(full)) return void report(line, target, 'the link points at nothing');
			if (statSync(full).isDirectory() && anchor) return void report(line, target, 'an anchor on a folder');
		}
		if (anchor === undefined) return;
		const anchors = path === '' ? ownAnchors : anchorsByFile(local);
		if (!anchors) return void report(line, target, 'an anchor in a file that is not Markdown');
		if (!anchors.has(anchor)) report(line, target, `no heading makes the anchor #${anchor}`);
	}
}

export function checkDocs(root: string, files: string[]): Problem[] {
	const repo = loadRepo(root);
	const anchorsByFile = (path: string) =>
		path.endsWith('.md') && existsSync(join(root, path)) ? anchorsOf(readFileSync(join(root, path), 'utf8')) : undefined;
	return files.flatMap((file) => checkDoc(relative(root, file).split('\\').join('/'), readFileSync(file, 'utf8'), repo, anchorsByFile));
}
