// tsc compiles only TypeScript; n8n also needs the icons and the codex files next to the
// compiled code, at the same relative paths the sources name them by.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['icons/**/*.svg', 'nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = copyAssets;
exports.default = copyAssets;
