/** A value's place as a JSON path the model and the user both read: $, $.customer.email, $.tags[2], $["first name"]. */
export function formatPath(path: Array<string | number>): string {
	return path.reduce<string>((text, step) => {
		if (typeof step === 'number') return `${text}[${step}]`;
		return /^[A-Za-z_$][\w$]*$/.test(step) ? `${text}.${step}` : `${text}[${JSON.stringify(step)}]`;
	}, '$');
}
