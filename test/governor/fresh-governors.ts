import { credentialGovernors, IDLE_GOVERNOR_MS } from '../../nodes/shared/transport/governor-registry';

// The governors live as long as the module, as in n8n: a pause or a learned window one test
// leaves behind would slow or fail the next. Each test starts as a fresh n8n process does.
beforeEach(() => credentialGovernors.sweep(Date.now() + IDLE_GOVERNOR_MS));
