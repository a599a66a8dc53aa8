import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { describeFailure } from './failures';
import { keepsInput } from './item-plan';

/**
 * A credential field or a run option no request could go out with: nothing is sent. Under
 * "continue on fail" every item comes out as an error item, in order, so none is lost.
 */
export function refuseRun(context: IExecuteFunctions, error: unknown, secrets: string[]): INodeExecutionData[] {
	const node = context.getNode();
	if (!context.continueOnFail()) throw describeFailure(node, error, 0, secrets).error;
	const toErrorOutput = node.onError === 'continueErrorOutput';
	return context.getInputData().map((input, itemIndex) => {
		const keep = keepsInput(context, itemIndex);
		// As for a failed item: n8n's error output adds the input's fields itself.
		const kept = keep && !toErrorOutput ? input.json : {};
		return {
			json: { ...kept, error: describeFailure(node, error, itemIndex, secrets).json },
			...(keep && input.binary ? { binary: input.binary } : {}),
			pairedItem: { item: itemIndex },
		};
	});
}
