import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection, SHARED_OPTIONS } from '../shared/settings/options-collection';
import { MODEL_SETTING } from '../shared/settings/request';

/** The model node has nothing of its own to add: every option means what it means on Humiris Chat. */
export const modelNodeProperties: INodeProperties[] = [MODEL_SETTING.property, optionsCollection(SHARED_OPTIONS)];
