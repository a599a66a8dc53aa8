import { jsonSetting } from '../../shared/settings/setting';

export const BODY_OPTIONS = {
	additionalBodyFields: jsonSetting({
		name: 'additionalBodyFields',
		displayName: 'Additional Body Fields',
		default: '{}',
		description:
			'A JSON object merged into the request body, for API parameters this node has no field for. Fields set elsewhere in the node win.',
	}),
};
