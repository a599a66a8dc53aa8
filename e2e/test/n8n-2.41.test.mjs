import { after } from 'node:test';

import { workflowSuite } from '../lib/suite.mjs';
import { printTimings } from '../lib/timings.mjs';

const timings = [];
workflowSuite('2.41.1', ['classify', 'errors', 'chain', 'email', 'webhook'], timings);
after(() => printTimings(timings));
