import type { INode, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { TOOL_DESCRIPTION, TOOL_PROMPT_DEFAULT } from '../../nodes/HumirisChat/description';
import { HumirisChat } from '../../nodes/HumirisChat/HumirisChat.node';

/** The parameters n8n stores for a freshly added node, as the editor and the CLI import fill them. */
function defaults(description: INodeTypeDescription) {
	const node: INode = {
		id: 'n',
		name: description.displayName,
		type: `n8n-nodes-humiris.${description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	return NodeHelpers.getNodeParameters(description.properties, {}, true, false, node, description);
}

describe('Humiris Chat defaults', () => {
	const description = new HumirisChat().description;

	it('as a workflow node, answers the item\'s own chatInput / prompt / text', () => {
		expect(defaults(description)).toMatchObject({ messageMode: 'prompt', promptType: 'auto' });
		expect(defaults(description)).not.toHaveProperty('prompt');
		expect(defaults(description)).not.toHaveProperty('toolDescription');
	});

	it('as an Agent tool (n8n names the variant …Tool), asks what the Agent\'s model puts in $fromAI("prompt")', () => {
		// n8n derives the tool variant from the same description, renamed with a "Tool" suffix.
		const tool = { ...description, name: `${description.name}Tool` };
		expect(defaults(tool)).toMatchObject({
			messageMode: 'prompt',
			promptType: 'define',
			prompt: TOOL_PROMPT_DEFAULT,
			toolDescription: TOOL_DESCRIPTION,
		});
		expect(TOOL_PROMPT_DEFAULT).toMatch(/^=\{\{ \$fromAI\('prompt', '[^']+', 'string'\) \}\}$/);
	});
});
