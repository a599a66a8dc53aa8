// A real SMTP server on 127.0.0.1 that keeps every message it receives, for n8n's Send Email node.
import { SMTPServer } from 'smtp-server';

export async function startSmtpSink() {
	const messages = [];
	const waiters = [];
	const server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => {
				const message = {
					from: session.envelope.mailFrom?.address,
					to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
					raw: Buffer.concat(chunks).toString('utf8'),
				};
				messages.push(message);
				waiters.splice(0).forEach((resolve) => resolve(message));
				callback();
			});
		},
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		host: '127.0.0.1',
		port: server.server.address().port,
		messages,
		next: (timeoutMs = 10000) =>
			messages.length > 0
				? Promise.resolve(messages[messages.length - 1])
				: new Promise((resolve, reject) => {
						waiters.push(resolve);
						setTimeout(() => reject(new Error(`no mail within ${timeoutMs} ms`)), timeoutMs).unref();
					}),
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

/** The text body of a simple (non-multipart) message, with quoted-printable soft breaks undone. */
export function mailText(raw) {
	const [head, ...rest] = raw.split(/\r?\n\r?\n/);
	let body = rest.join('\n\n');
	if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
		body = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
	}
	return { head, body: body.replace(/\r\n/g, '\n') };
}
