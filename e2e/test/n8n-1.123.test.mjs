// Compatibility: the same tarball on the previous major line (n8n 1.x on the machine's Node 20).
import { after } from 'node:test';

import { workflowSuite } from '../lib/suite.mjs';
import { printTimings } from '../lib/timings.mjs';

const timings = [];
workflowSuite('1.123.81', ['classify', 'errors', 'chain', 'email', 'webhook'], timings);
after(() => printTimings(timings));
