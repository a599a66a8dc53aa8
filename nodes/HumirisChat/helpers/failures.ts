import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { HumirisRequestError, redactFailure, type HumirisFailure } from '../../shared/transport/errors';
import { failureJson, toNodeApiError } from '../../shared/presentation/n8n-error';
import { SchemaError } from './json-schema/compile';
import { formatPath } from './json-schema/path';
import { MessageInputError } from './messages';
import { JsonReplyError } from './output';
import { SettingError } from '../../shared/settings/setting';
import { SchemaMismatchError } from './item-answer';
import { BudgetExceededError } from './token-budget';

/** How much of the last reply the error keeps: enough to see what the model did, not a whole essay. */
const REPLY_KEPT = 2000;

/** The one shape a failed item takes, whether it is thrown or output under "continue on fail". */
function toFailure(error: unknown): HumirisFailure {
	if (error instanceof HumirisRequestError) return error.failure;
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof MessageInputError) {
		return { code: 'INVALID_INPUT', message, description: 'Fix the node\'s parameters or the incoming item.', status: null, retryable: false };
	}
	if (error instanceof SettingError) {
		return { code: error.failureCode, message, description: 'No request was sent.', status: null, retryable: false };
	}
	if (error instanceof SchemaError) {
		return { code: 'INVALID_SCHEMA', message, description: 'Fix the JSON Schema or JSON Example option. No request was sent.', status: null, retryable: false };
	}
	if (error instanceof BudgetExceededError) {
		return {
			code: 'BUDGET_EXCEEDED',
			message,
			description: `Token Budget ${error.budget}, tokens used ${error.used}, items answered ${error.answered} of ${error.items}. The requests in flight when it was reached finished and kept their answers; no request started after it.`,
			status: null,
			retryable: false,
			attempts: 0,
		};
	}
	if (error instanceof SchemaMismatchError) {
		return {
			code: 'SCHEMA_MISMATCH',
			message,
			description: `The model's last reply: ${error.lastReply.slice(0, REPLY_KEPT)}`,
			status: null,
			retryable: false,
			attempts: error.attempts,
		};
	}
	if (error instanceof JsonReplyError && error.cutOff) {
		return {
			code: 'JSON_REPLY_TRUNCATED',
			message,
			description: 'Raise the Maximum Tokens option so the whole JSON object fits, or ask for a shorter reply.',
			status: null,
			retryable: false,
		};
	}
	if (error instanceof JsonReplyError) {
		return {
			code: 'INVALID_JSON_REPLY',
			message,
			description: 'Say in the prompt or system message which JSON fields you want, or switch Response Format to Text.',
			status: null,
			retryable: false,
		};
	}
	return { code: 'UNEXPECTED', message, description: '', status: null, retryable: false };
}

/** What a "does not match" branch downstream can read: each violation, the last reply, what every attempt cost. */
function mismatchDetails(error: unknown, secrets: string[]): IDataObject {
	if (!(error instanceof SchemaMismatchError)) return {};
	// The reply is the API's text: redacted like everything else the API sends back.
	const hide = (text: string) =>
		redactFailure({ code: '', message: text, description: '', status: null, retryable: false }, secrets).message;
	return {
		violations: error.violations.map((violation) => ({
			path: hide(formatPath(violation.path)),
			rule: violation.rule,
			expected: hide(violation.expected),
			...(violation.got === undefined ? {} : { got: hide(violation.got) }),
		})),
		lastReply: hide(error.lastReply.slice(0, REPLY_KEPT)),
		usage: { ...error.usage },
	};
}

export interface ItemFailure {
	error: NodeApiError | NodeOperationError;
	json: IDataObject;
}

export function describeFailure(node: INode, error: unknown, itemIndex: number, secrets: string[]): ItemFailure {
	const failure = redactFailure(toFailure(error), secrets);
	const json: IDataObject = failureJson(failure);
	if (error instanceof HumirisRequestError) return { json, error: toNodeApiError(node, failure, itemIndex) };
	const message =
		error instanceof MessageInputError || error instanceof SchemaError ? `Item ${itemIndex}: ${failure.message}` : failure.message;
	return {
		json: { ...json, message, ...mismatchDetails(error, secrets) },
		error: new NodeOperationError(node, message, { description: failure.description, itemIndex }),
	};
}
