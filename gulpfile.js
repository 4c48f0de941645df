const { rmSync } = require('node:fs');

const { src, dest, parallel } = require('gulp');

// tsc compiles only TypeScript; n8n reads the icons and the codex files from dist/.
function buildIcons() {
	return src('icons/*.svg', { encoding: false }).pipe(dest('dist/icons'));
}

function buildCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

/** A build starts from an empty dist/, so that files of modules since moved or removed are not packed. */
function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

exports.clean = clean;
exports['build:icons'] = buildIcons;
exports['build:codex'] = buildCodex;
exports.build = parallel(buildIcons, buildCodex);
