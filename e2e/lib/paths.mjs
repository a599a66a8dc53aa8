import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export const DOCS_DIR = path.join(REPO_ROOT, 'docs');
