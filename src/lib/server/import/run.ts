/**
 * One import request, from an uploaded file to a message or a plan (the route stays thin): picks
 * the importer, turns every failure into the person's language, and shapes the preview.
 */
import { m } from '../../paraglide/messages';
import { readCsv } from './csv';
import {
	IMPORT_FORMATS,
	IMPORT_LIMITS,
	type ImportFormat,
	type ImportPlan,
	type ImportReading,
	type RowProblem
} from './plan';
import { readPlanka } from './planka';
import { readTrello } from './trello';

export const PREVIEW_CARDS = 50;
const MB = Math.round(IMPORT_LIMITS.maxBytes / 1024 / 1024);

export function isImportFormat(value: unknown): value is ImportFormat {
	return typeof value === 'string' && (IMPORT_FORMATS as readonly string[]).includes(value);
}

export function readImport(
	format: ImportFormat,
	bytes: Uint8Array,
	fileName: string
): ImportReading {
	switch (format) {
		case 'trello':
			return readTrello(bytes);
		case 'planka':
			return readPlanka(bytes);
		case 'csv':
			return readCsv(bytes, fileName.replace(/\.[^.]*$/, ''));
	}
}

export function failureMessage(reading: Extract<ImportReading, { ok: false }>): string {
	switch (reading.code) {
		case 'too_large':
			return m.history_import_fail_too_large({ mb: MB });
		case 'empty':
			return m.history_import_fail_empty();
		case 'encoding':
			return m.history_import_fail_encoding();
		case 'malformed':
			return m.history_import_fail_malformed({ detail: reading.detail.slice(0, 120) });
		case 'wrong_format':
			return m.history_import_fail_wrong_format();
		case 'too_many_columns':
			return m.history_import_fail_too_many_columns({
				count: reading.detail,
				max: IMPORT_LIMITS.maxColumns
			});
		case 'no_cards':
			return m.history_import_fail_no_cards();
	}
}

export function problemMessage(problem: RowProblem): string {
	const row = m.history_import_problem_row({ row: problem.row });
	const what = (() => {
		switch (problem.code) {
			case 'no_title':
				return m.history_import_problem_no_title();
			case 'html':
				return m.history_import_problem_html({ value: problem.value });
			case 'unknown_stage':
				return m.history_import_problem_unknown_stage({ value: problem.value });
			case 'bad_date':
				return m.history_import_problem_bad_date({ value: problem.value });
			case 'not_an_object':
				return m.history_import_problem_not_an_object();
			case 'too_many_cards':
				return m.history_import_problem_too_many_cards({ max: IMPORT_LIMITS.maxCards });
		}
	})();
	return `${row}: ${what}`;
}

export interface ImportPreviewDto {
	format: ImportFormat;
	boardName: string;
	total: number;
	cards: { title: string; stage: string; beneficiary: string; dates: string[] }[];
	problems: string[];
	problemCount: number;
}

export function previewOf(plan: ImportPlan): ImportPreviewDto {
	return {
		format: plan.format,
		boardName: plan.boardName,
		total: plan.cards.length,
		cards: plan.cards.slice(0, PREVIEW_CARDS).map((card) => ({
			title: card.title,
			stage: card.stage,
			beneficiary: card.beneficiary,
			dates: card.stageDates.map(
				(step) => `${step.stage} ${new Date(step.at).toISOString().slice(0, 10)}`
			)
		})),
		problems: plan.problems.map(problemMessage),
		problemCount: plan.problemCount
	};
}
