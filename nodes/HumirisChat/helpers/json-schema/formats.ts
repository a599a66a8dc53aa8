/**
 * The `format`s the validator checks, each as JSON Schema defines it (RFC 3339 for dates and
 * times, RFC 5321's dot-atom for e-mail, RFC 2673/4291 for IP addresses, RFC 4122 for UUIDs).
 * Any other format makes the schema an error, as an unknown keyword does.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([zZ]|([+-])(\d{2}):(\d{2}))$/;

function isDate(text: string): boolean {
	const match = DATE.exec(text);
	if (!match) return false;
	const [year, month, day] = match.slice(1).map(Number);
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
	return days !== undefined && day >= 1 && day <= days;
}

function isTime(text: string): boolean {
	const match = TIME.exec(text);
	if (!match) return false;
	const [hour, minute, second] = match.slice(1, 4).map(Number);
	const sign = match[6] === '-' ? -1 : 1;
	const offsetHour = Number(match[7] ?? 0);
	const offsetMinute = Number(match[8] ?? 0);
	if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return false;
	if (second < 60) return true;
	// A leap second is only ever 23:59:60 in UTC.
	const utcMinutes = (((hour * 60 + minute - sign * (offsetHour * 60 + offsetMinute)) % 1440) + 1440) % 1440;
	return utcMinutes === 23 * 60 + 59;
}

function isDateTime(text: string): boolean {
	const [date, time, ...rest] = text.split(/[tT]/);
	return rest.length === 0 && time !== undefined && isDate(date) && isTime(time);
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})*$`);

function isIpv4(text: string): boolean {
	const parts = text.split('.');
	return parts.length === 4 && parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255);
}

function isIpv6(text: string): boolean {
	if (!/^[0-9A-Fa-f:.]+$/.test(text)) return false;
	const halves = text.split('::');
	if (halves.length > 2) return false;
	const groups = (half: string) => (half === '' ? [] : half.split(':'));
	const all = halves.flatMap(groups);
	// An IPv4 address may take the place of the last two groups.
	const last = all[all.length - 1];
	const ipv4Tail = last !== undefined && last.includes('.');
	if (ipv4Tail && (!isIpv4(last) || (halves.length === 2 && groups(halves[1]).length === 0))) return false;
	const hex = ipv4Tail ? all.slice(0, -1) : all;
	if (!hex.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
	const count = hex.length + (ipv4Tail ? 2 : 0);
	return halves.length === 2 ? count <= 7 : count === 8;
}

const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

export const FORMATS: Record<string, { test: (text: string) => boolean; words: string }> = {
	'date-time': { test: isDateTime, words: 'a date and time as in RFC 3339, such as "2024-05-01T09:30:00Z"' },
	date: { test: isDate, words: 'a date as in RFC 3339, such as "2024-05-01"' },
	time: { test: isTime, words: 'a time with its offset as in RFC 3339, such as "09:30:00Z" or "09:30:00+02:00"' },
	email: { test: (text) => EMAIL.test(text), words: 'an e-mail address, such as "ana@example.com"' },
	ipv4: { test: isIpv4, words: 'an IPv4 address, such as "192.0.2.1"' },
	ipv6: { test: isIpv6, words: 'an IPv6 address, such as "2001:db8::1"' },
	uuid: { test: (text) => UUID.test(text), words: 'a UUID, such as "123e4567-e89b-12d3-a456-426614174000"' },
};
