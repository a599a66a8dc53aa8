import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * A value the user set that the node will not send, worded for the user: which field, what
 * it takes, what it got. Thrown before any request, by both nodes alike.
 */
export class SettingError extends Error {
	constructor(
		/** The field's display name, as the user sees it in the panel. */
		readonly field: string,
		message: string,
		/** What an IF node downstream can branch on. */
		readonly failureCode = 'INVALID_PARAMETER',
	) {
		super(message);
	}
}

/**
 * One setting, defined once: what n8n shows (name, label, default, bounds in the panel) and
 * how the node reads the value n8n resolved, expressions included. `read` gets `undefined`
 * when the user did not add the option; it returns what the node uses or throws a
 * SettingError, so a bad value never reaches Humiris and both nodes answer it alike.
 */
export interface Setting<T> {
	readonly property: INodeProperties;
	read(value: unknown): T;
}

export type Settings = Record<string, Setting<unknown>>;

export type SettingValues<S extends Settings> = { [K in keyof S]: ReturnType<S[K]['read']> };

/** Every setting of a group, read from the values n8n handed over (a node's Options collection). */
export function readSettings<S extends Settings>(values: IDataObject, settings: S): SettingValues<S> {
	const read: Record<string, unknown> = {};
	for (const [key, setting] of Object.entries(settings)) {
		const value = hiddenIn(setting.property, values, settings) ? undefined : values[setting.property.name];
		read[key] = setting.read(value);
	}
	return read as SettingValues<S>;
}

/**
 * Whether the panel hides this setting for the values of its siblings (its `displayOptions.show`
 * names them): a value left behind from before is one the user cannot see or fix, so it reads
 * as absent. Conditions on the node's root ("/…") or on the tool mode ("@…") are not judged here.
 */
function hiddenIn(property: INodeProperties, values: IDataObject, settings: Settings): boolean {
	const show = property.displayOptions?.show ?? {};
	return Object.entries(show).some(([name, allowed]) => {
		if (name.startsWith('/') || name.startsWith('@') || !Array.isArray(allowed)) return false;
		const sibling = Object.values(settings).find((setting) => setting.property.name === name);
		const value = values[name] ?? sibling?.property.default;
		return !(allowed as unknown[]).includes(value);
	});
}

export function propertiesOf(settings: Settings): INodeProperties[] {
	return Object.values(settings).map((setting) => setting.property);
}

/** Where the user finds the field, so every message can say where to fix it. */
export type Place = 'option' | 'field' | 'credential';

export function labelOf(displayName: string, place: Place): string {
	if (place === 'credential') return `The "${displayName}" field of the Humiris API credential`;
	return `The "${displayName}" ${place}`;
}

function fixAt(place: Place): string {
	if (place === 'credential') return 'Open the Humiris API credential and correct it.';
	if (place === 'option') return "Correct it under the node's Options, or remove the option.";
	return 'Correct it in the node.';
}

/** The value as the message quotes it: short, and never a whole pasted document. */
export function shown(value: unknown): string {
	if (value === null) return 'null';
	if (typeof value === 'string') {
		if (value.trim() === '') return 'empty';
		const text = value.length > 60 ? `${value.slice(0, 60)}…` : value;
		return `the text ${JSON.stringify(text)}`;
	}
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function refuse(displayName: string, place: Place, rule: string, value: unknown): SettingError {
	return new SettingError(displayName, `${labelOf(displayName, place)} ${rule}, but it is ${shown(value)}. ${fixAt(place)}`);
}

const absent = (value: unknown) => value === undefined || value === null;

/** The n8n property every kind of setting shares; `more` adds the kind's own fields. */
function propertyOf(spec: Common, type: INodeProperties['type'], initial: INodeProperties['default'], more: Partial<INodeProperties> = {}): INodeProperties {
	return { displayName: spec.displayName, name: spec.name, type, default: initial, description: spec.description, ...more, ...spec.extra };
}

const format = (value: number) => value.toLocaleString('en-US');

interface Common {
	name: string;
	displayName: string;
	description: string;
	place?: Place;
	/** Extra fields of the n8n property (displayOptions, placeholder, noDataExpression…). */
	extra?: Partial<INodeProperties>;
}

interface NumberSpec extends Common {
	default: number;
	min: number;
	max: number;
	/** Whole numbers only; otherwise the panel's precision. */
	integer?: boolean;
	precision?: number;
	/** What the number counts, for the message: "milliseconds", "tokens". */
	unit?: string;
}

function parseNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return value;
	// An expression hands over text: "0.7" means 0.7, as n8n's own number fields take it.
	if (typeof value === 'string' && value.trim() !== '') return Number(value.trim());
	return undefined;
}

function numberReader(spec: NumberSpec): (value: unknown) => number {
	const place = spec.place ?? 'option';
	const kind = spec.integer ? 'a whole number' : 'a number';
	// Bounds as wide as a safe integer (the Seed) are no rule a user needs to read.
	const unbounded = spec.min <= Number.MIN_SAFE_INTEGER && spec.max >= Number.MAX_SAFE_INTEGER;
	const range = unbounded ? '' : ` from ${format(spec.min)} to ${format(spec.max)}`;
	const rule = `must be ${kind}${spec.unit ? ` of ${spec.unit}` : ''}${range}`;
	return (value) => {
		const number = parseNumber(value);
		const fits =
			number !== undefined &&
			Number.isFinite(number) &&
			number >= spec.min &&
			number <= spec.max &&
			(!spec.integer || Number.isInteger(number));
		if (!fits) throw refuse(spec.displayName, place, rule, value);
		return number;
	};
}

function numberProperty(spec: NumberSpec): INodeProperties {
	const precision = spec.integer || spec.precision === undefined ? {} : { numberPrecision: spec.precision };
	return propertyOf(spec, 'number', spec.default, { typeOptions: { minValue: spec.min, maxValue: spec.max, ...precision } });
}

/** A number with a default: an option left out reads as the default. */
export function numberSetting(spec: NumberSpec): Setting<number> {
	const read = numberReader(spec);
	return { property: numberProperty(spec), read: (value) => (absent(value) ? spec.default : read(value)) };
}

/** A number sent only when the user added it (a sampling field): left out, the model decides. */
export function optionalNumberSetting(spec: NumberSpec): Setting<number | undefined> {
	const read = numberReader(spec);
	return { property: numberProperty(spec), read: (value) => (absent(value) ? undefined : read(value)) };
}

export function booleanSetting(spec: Common & { default: boolean }): Setting<boolean> {
	const place = spec.place ?? 'option';
	return {
		property: propertyOf(spec, 'boolean', spec.default),
		read: (value) => {
			if (absent(value)) return spec.default;
			if (value === true || value === 'true') return true;
			if (value === false || value === 'false') return false;
			throw refuse(spec.displayName, place, 'must be true or false', value);
		},
	};
}

/** Text an expression may hand over as a number (an ID, a model name): taken as its text. */
export function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

interface TextSpec extends Common {
	default: string;
	/** Said instead of the generic message when the text is blank, with its own code. */
	whenEmpty?: { message: string; code: string };
	/** Further rules on the trimmed, non-empty text; throw refuse(...) to refuse. */
	check?: (text: string) => void;
}

function textProperty(spec: TextSpec): INodeProperties {
	return propertyOf(spec, 'string', spec.default);
}

function textReader(spec: TextSpec): (value: unknown) => string {
	const place = spec.place ?? 'option';
	return (value) => {
		const text = textOf(value)?.trim();
		if (text === undefined) throw refuse(spec.displayName, place, 'must be text', value);
		if (text === '' && spec.whenEmpty) throw new SettingError(spec.displayName, spec.whenEmpty.message, spec.whenEmpty.code);
		if (text === '') throw new SettingError(spec.displayName, `${labelOf(spec.displayName, place)} is empty. ${fixAt(place)}`);
		spec.check?.(text);
		return text;
	};
}

/** Text that must be there: left out, the default; given, it must not be blank. */
export function textSetting(spec: TextSpec): Setting<string> {
	const read = textReader(spec);
	return { property: textProperty(spec), read: (value) => read(absent(value) ? spec.default : value) };
}

/** Text used only when the user added the option; added, it must not come out blank. */
export function optionalTextSetting(spec: TextSpec): Setting<string | undefined> {
	const read = textReader(spec);
	return { property: textProperty(spec), read: (value) => (absent(value) ? undefined : read(value)) };
}

interface ChoiceSpec<V extends string> extends Common {
	default: V;
	choices: Array<{ name: string; value: V; description: string }>;
}

export function choiceSetting<V extends string>(spec: ChoiceSpec<V>): Setting<V> {
	const place = spec.place ?? 'option';
	const values = spec.choices.map((choice) => choice.value);
	const rule = `must be one of ${values.map((value) => `"${value}"`).join(', ')}`;
	return {
		property: propertyOf(spec, 'options', spec.default, { options: spec.choices }),
		read: (value) => {
			if (absent(value)) return spec.default;
			const text = textOf(value)?.trim();
			if (text === undefined || !(values as string[]).includes(text)) throw refuse(spec.displayName, place, rule, value);
			return text as V;
		},
	};
}

/** A JSON option as n8n hands it over (text, or already parsed by an expression); left out, undefined. */
export function jsonSetting(spec: Common & { default: string }): Setting<unknown> {
	return {
		property: propertyOf(spec, 'json', spec.default),
		// What the JSON must hold depends on the option: its own reader (schema, body fields) checks it.
		read: (value) => (absent(value) || value === '' ? undefined : value),
	};
}

/** A list of texts (Stop Sequences): each entry taken as text, blank ones dropped. */
export function textListSetting(spec: Common & { buttonText: string }): Setting<string[] | undefined> {
	const place = spec.place ?? 'option';
	return {
		property: propertyOf(spec, 'string', [], { typeOptions: { multipleValues: true, multipleValueButtonText: spec.buttonText } }),
		read: (value) => {
			if (absent(value)) return undefined;
			const entries = Array.isArray(value) ? (value as unknown[]) : [value];
			const texts = entries.map((entry) => {
				const text = absent(entry) ? '' : textOf(entry);
				if (text === undefined) throw refuse(spec.displayName, place, 'must be a list of texts', entry);
				return text;
			});
			const kept = texts.filter((text) => text !== '');
			return kept.length ? kept : undefined;
		},
	};
}
