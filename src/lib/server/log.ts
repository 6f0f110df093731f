/**
 * Structured logs (pino). Redaction is the safety net; the habit is never to log secrets at all:
 * passwords, session and invite tokens, cookies and authorization headers are censored wherever
 * they appear in a logged object.
 */
import pino from 'pino';

export const redactedPaths = [
	'password',
	'*.password',
	'token',
	'*.token',
	'cookie',
	'*.cookie',
	'headers.cookie',
	'*.headers.cookie',
	'headers.authorization',
	'*.headers.authorization',
	'req.headers.cookie',
	'req.headers.authorization',
	'sessionToken',
	'*.sessionToken'
];

export function createLogger(
	options: { level?: string; destination?: pino.DestinationStream } = {}
) {
	return pino(
		{
			level: options.level ?? 'info',
			base: { app: 'tillit' },
			redact: { paths: redactedPaths, censor: '[redacted]' }
		},
		options.destination
	);
}

export type Logger = pino.Logger;
