// n8n's verification scanner (@n8n/scan-community-package), run here instead of against the
// registry. The real scanner downloads the published package, checks its npm provenance, fetches
// the source at the attested commit, and lints that source (package.json, nodes/, credentials/)
// and the tarball's JavaScript with its own ESLint configuration and inline configuration off.
// Provenance and the download need a published version; the lint is what this runs, with the
// scanner's own configuration, file patterns and verdict function.
import { createRequire } from 'node:module';

const SCANNER = '@n8n/scan-community-package/scanner/scanner.mjs';
const scannerRequire = createRequire(createRequire(import.meta.url).resolve(SCANNER));

// The scanner makes a temporary folder when it is loaded; have it removed when we exit.
scannerRequire('tmp').setGracefulCleanup();
const { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } = await import(SCANNER);
const { ESLint } = scannerRequire('eslint');
const glob = scannerRequire('fast-glob');

/** The file patterns the scanner lints in the unpacked tarball. */
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];
export { SOURCE_FILE_PATTERNS };

/**
 * Lints `dir` the way the scanner does. `{ passed, files, errors, warnings, report }`: `passed` is
 * the scanner's own verdict (analyzePackage, which fails on errors only); the counts and the
 * stylish report also show warnings, which the scanner lets through.
 */
export async function scan(dir, patterns) {
	const verdict = await analyzePackage(dir, patterns);
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const results = await eslint.lintFiles(files);
	const formatter = await eslint.loadFormatter('stylish');
	return {
		passed: verdict.passed,
		files: files.length,
		errors: results.reduce((sum, result) => sum + result.errorCount, 0),
		warnings: results.reduce((sum, result) => sum + result.warningCount, 0),
		rules: [...new Set(results.flatMap((result) => result.messages.map((message) => message.ruleId)))],
		report: await formatter.format(results),
	};
}
