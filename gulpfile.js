const { src, dest, parallel } = require('gulp');

// tsc compiles only TypeScript; n8n reads the icons and the codex files from dist/.
function buildIcons() {
	return src('icons/*.svg', { encoding: false }).pipe(dest('dist/icons'));
}

function buildCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports['build:icons'] = buildIcons;
exports['build:codex'] = buildCodex;
exports.build = parallel(buildIcons, buildCodex);
