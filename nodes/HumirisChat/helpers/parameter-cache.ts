import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';

/** What reading one item's parameters needs from the execution context. */
export type ParameterSource = Pick<IExecuteFunctions, 'getNodeParameter' | 'getInputData'>;

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

function rawValue(parameters: INodeParameters, path: string): unknown {
	let current: unknown = parameters;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/**
 * The context's parameters, each resolved once per run when the node's saved value holds no
 * expression: such a value is the same for every item, and n8n's getNodeParameter costs a
 * node-type lookup and a schema validation on every call (bench/README.md has the profile).
 * Parameters with an expression anywhere in them are still resolved for each item. Callers
 * never mutate what they read, so items may share a resolved value.
 */
export function cachedParameters(context: IExecuteFunctions): ParameterSource {
	const { parameters } = context.getNode();
	const resolved = new Map<string, unknown>();
	const getNodeParameter = (name: string, itemIndex: number, fallbackValue?: unknown) => {
		if (resolved.has(name)) return resolved.get(name);
		const value = context.getNodeParameter(name, itemIndex, fallbackValue);
		// A value missing from the saved parameters may come from a default that is an expression.
		const raw = rawValue(parameters, name);
		if (raw !== undefined && !holdsExpression(raw)) resolved.set(name, value);
		return value;
	};
	return {
		getNodeParameter: getNodeParameter as ParameterSource['getNodeParameter'],
		getInputData: (...args) => context.getInputData(...args),
	};
}
