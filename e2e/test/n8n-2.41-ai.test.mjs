import { after } from 'node:test';

import { aiSuite } from '../lib/ai-suite.mjs';
import { printTimings } from '../lib/timings.mjs';

const timings = [];
aiSuite('2.41.1', timings);
after(() => printTimings(timings));
